"""Every create runs once per submission key, whatever repeats it: a double tap on Save, a send the
phone's outbox retries after a lost answer, an API client's retry.

Page forms carry a hidden `submission_key` (`{% submission_key %}`, a new one per form render), the
offline outbox and the API send it as the `Idempotency-Key` header. The first successful answer is
kept in core.SubmissionKey (unique per user and key) inside the create's own transaction: a repeat,
even one racing the first, gets that answer back and creates nothing.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from .models import SubmissionKey

FIELD = "submission_key"
HEADER = "Idempotency-Key"
OUTBOX_HEADER = "X-Outbox"  # the phone's outbox: answers in JSON instead of pages
MAX_LENGTH = 100
KEEP_DAYS = 30
REDIRECTS = (301, 302, 303)


def new_key() -> str:
    return uuid.uuid4().hex


def submitted_key(request: HttpRequest) -> str:
    return (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()


def is_outbox(request: HttpRequest) -> bool:
    return request.headers.get(OUTBOX_HEADER) == "1"


def stored(user: Any, key: str) -> SubmissionKey | None:
    return SubmissionKey.objects.filter(user=user, key=key).first()


def run_once(
    user: Any,
    key: str,
    path: str,
    run: Callable[[], Any],
    *,
    succeeded: Callable[[Any], bool],
    keep: Callable[[Any], dict[str, Any]],
) -> tuple[Any, SubmissionKey | None]:
    """Run `run()` unless `key` was already answered; returns (answer, None) or (None, stored key).

    The key is written in the same transaction as whatever `run` creates: a racing repeat waits on
    the unique constraint and, once the first commits, is rolled back and gets the stored answer."""
    found = stored(user, key)
    if found is not None:
        return None, found
    try:
        with transaction.atomic():
            answer = run()
            if succeeded(answer):
                SubmissionKey.objects.create(user=user, key=key, path=path[:300], **keep(answer))
            elif (found := stored(user, key)) is not None:
                # A repeat that waited on a row lock (an edit such as enrolling) rather than on the key
                # and was refused because the first changed the row: the first's answer is the answer.
                raise _Answered(found)
    except _Answered as answered:
        return None, answered.key
    except IntegrityError:
        found = stored(user, key)
        if found is None:
            raise  # another constraint: not ours to explain
        return None, found
    return answer, None


class _Answered(Exception):
    def __init__(self, key: SubmissionKey) -> None:
        super().__init__(key.key)
        self.key = key


def outbox_answer(response: HttpResponse, *, replayed: bool = False, location: str = "") -> HttpResponse:
    """The outbox's JSON: 201 once saved (or already saved) with where the form's page would have gone,
    400 with the form's errors by field."""
    if response.status_code in REDIRECTS or getattr(response, "outbox_saved", False) or replayed:
        location = location or response.get("Location", "")
        return JsonResponse({"saved": True, "replayed": replayed, "location": location}, status=201)
    errors = getattr(response, "form_errors", None) or {"__all__": [{"message": "The entry was refused."}]}
    return JsonResponse({"saved": False, "errors": errors}, status=400)


def refused(response: HttpResponse, form: Any) -> HttpResponse:
    """Mark a re-rendered form page with its errors, for the outbox's JSON answer."""
    response.form_errors = form.errors.get_json_data()  # type: ignore[attr-defined]
    return response


def saved(response: HttpResponse) -> HttpResponse:
    """Mark an answer that is not a redirect (an htmx fragment) as a successful create."""
    response.outbox_saved = True  # type: ignore[attr-defined]
    return response


def idempotent(
    view: Callable[..., HttpResponse] | None = None,
    *,
    replay: Callable[..., HttpResponse] | None = None,
) -> Any:
    """A create view whose POST runs once per submission key; a repeat gets the first answer
    (`replay(request, *args, **kwargs)` when given, else a redirect to where the first one went)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = submitted_key(request) if request.method == "POST" else ""
            if not key or not request.user.is_authenticated:
                response = view(request, *args, **kwargs)
                return outbox_answer(response) if is_outbox(request) and request.method == "POST" else response
            if len(key) > MAX_LENGTH:
                return HttpResponseBadRequest("The submission key is too long.")

            def succeeded(response: HttpResponse) -> bool:
                return response.status_code in REDIRECTS or getattr(response, "outbox_saved", False)

            def keep(response: HttpResponse) -> dict[str, Any]:
                return {"status_code": response.status_code, "location": response.get("Location", "")[:500]}

            response, found = run_once(
                request.user, key, request.path, lambda: view(request, *args, **kwargs), succeeded=succeeded, keep=keep
            )
            if found is None:
                return outbox_answer(response) if is_outbox(request) else response
            if is_outbox(request):
                return outbox_answer(HttpResponse(status=found.status_code), replayed=True, location=found.location)
            if replay is not None:
                return replay(request, *args, **kwargs)
            return redirect(found.location or request.path)

        return wrapper

    return decorate(view) if view is not None else decorate


def forget_old(*, days: int = KEEP_DAYS) -> int:
    """Delete keys older than `days`: a repeat arrives within seconds, an outbox within days."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
