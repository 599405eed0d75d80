"""Request ids in every log line, web and worker.

- `RequestIdMiddleware`: each request gets an id — the caller's `X-Request-ID` when it is a plain token
  (a proxy's), else a new one — answered in the `X-Request-ID` response header.
- `ContextFilter` (on the log handler): adds `request_id` and `user_id` to every record, so the format in
  settings.LOGGING prints time, level, logger, request id and user id. Ids only: never client data.
- Celery: the web request's id travels to the task in the message headers (`before_task_publish`) and is
  the worker's id while the task runs (`task_prerun`); a task without one (beat) logs under its task id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # anything else (or too long) is replaced, never logged

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str | None:
    return value if value and _ACCEPTED.fullmatch(value) else None


class RequestIdMiddleware:
    """After AuthenticationMiddleware (it records the signed-in user's id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accepted(request.headers.get(HEADER)) or new_id()
        user = getattr(request, "user", None)
        # Cleared when the response is finished (request_finished), not here: Django logs a 4xx/5xx
        # response after the middleware has returned, and that line needs the ids too.
        request_id.set(rid)
        user_id.set(user.pk if user is not None and user.is_authenticated else None)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


@receiver(request_finished)
def _clear(**kwargs: Any) -> None:
    request_id.set(None)
    user_id.set(None)


class ContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` ("-" outside a request or task) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        uid = user_id.get()
        record.user_id = "-" if uid is None else uid
        return True


@before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    rid = request_id.get()
    if headers is not None and rid and TASK_HEADER not in headers:
        headers[TASK_HEADER] = rid


_task_tokens: dict[str, tuple[contextvars.Token[str | None], contextvars.Token[int | None]]] = {}


@task_prerun.connect
def _receive_request_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    req = getattr(task, "request", None)
    rid = accepted(getattr(req, TASK_HEADER, None) or (getattr(req, "headers", None) or {}).get(TASK_HEADER))
    if task_id:
        _task_tokens[task_id] = (request_id.set(rid or request_id.get() or task_id), user_id.set(None))


@task_postrun.connect
def _forget_request_id(task_id: str | None = None, **kwargs: Any) -> None:
    tokens = _task_tokens.pop(task_id or "", None)
    if tokens is not None:
        request_id.reset(tokens[0])
        user_id.reset(tokens[1])
