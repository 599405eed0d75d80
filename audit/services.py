"""Writing audit events: who did what to which record, when and from where.

Views record what a user looked at; services record the writes they make, in the same transaction
(`record(None, Action.UPDATE, obj, user=user)`), so each write is audited in one place whoever calls
it. The request being served (set by `audit.middleware.RequestContextMiddleware`) gives those events
their path and address; tasks and commands run outside a request and record neither.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest

from .chain import GENESIS, entry_hash
from .models import Action, AuditEvent

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """While `request` is served, events recorded without a request take its path and address."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def _program_id(obj: models.Model) -> int | None:
    """The program a record belongs to, read along the model's `program_path`."""
    path = getattr(type(obj), "program_path", None)
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    target: Any = obj
    for part in path.split("__")[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, path.split("__")[-1] + "_id", None)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # settings.TRUSTED_PROXIES: addresses or networks ("10.0.0.0/8") of our own reverse proxies.
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request came from: REMOTE_ADDR, unless that is one of our configured proxies;
    then the right-most X-Forwarded-For value that is not one of them (the left part of the header
    is whatever the client sent, so it is never believed)."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from beyond our proxies: keep the last address we can vouch for
        remote = address
        if not _trusted(address):
            break
    return str(remote)


def record(
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    *,
    user: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. `request` None (services, tasks, commands): pass `user`; the request
    being served, if any, still gives the path and address."""
    if request is None:
        request = _current_request.get()
    if user is None and request is not None:
        current = getattr(request, "user", None)
        user = current if current is not None and current.is_authenticated else None
    event = AuditEvent(
        user=user,
        username=getattr(user, "username", "") or "",
        action=action,
        path=(request.path[:300] if request is not None else ""),
        ip_address=client_ip(request),
        detail=detail or {},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.program_id = _program_id(obj)
    event.save()
    return event


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(request, Action.LOGIN, user=user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, Action.LOGOUT, user=user)


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted username only; never the password.
    record(request, Action.LOGIN_FAILED, detail={"username": str(credentials.get("username", ""))[:150]})


@dataclass(frozen=True)
class ChainBreak:
    """One place where the audit trail's hash chain does not hold."""

    event_id: int
    problem: str


def verify_chain() -> list[ChainBreak]:
    """Walk the trail oldest first and report every entry altered (its hash no longer matches its
    content) or preceded by a removed one (its `prev_hash` is not the previous entry's hash)."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.pk, "the entry before it was removed or altered (previous hash differs)"))
        if event.hash != entry_hash(event.prev_hash, event.hashed_values()):
            breaks.append(ChainBreak(event.pk, "its content was altered (hash differs)"))
        prev = event.hash
    return breaks
