"""Writing audit events: who did what to which record, when and from where.

Views record what a user looked at; services record the writes they make, in the same transaction
(`record(None, Action.UPDATE, obj, user=user)`), so each write is audited in one place whoever calls
it. The request being served (set by `audit.middleware.RequestContextMiddleware`) gives those events
their path and address; tasks and commands run outside a request and record neither.

Lists, drill-downs, exports and reports call `record_shown` once per page with the clients they
showed; updates pass `changes=field_changes(...)`; a delete keeps the deleted values. A refusal
recorded inside a transaction that is then rolled back is written again once the transaction is
gone (`refusals_kept`, around every request).
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.dispatch import receiver
from django.http import HttpRequest

from .chain import GENESIS, entry_hash
from .models import Action, AuditEvent, AuditSubject

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
    changes: dict[str, list[Any]] | None = None,
    object_type: str = "",
    program_id: int | None = None,
) -> AuditEvent:
    """Write one audit event. `request` None (services, tasks, commands): pass `user`; the request
    being served, if any, still gives the path and address. `changes` ({field: [before, after]},
    from `field_changes`) goes into `detail["changes"]`; a DELETE keeps the deleted record's values."""
    detail = dict(detail or {})
    if changes is not None:
        detail["changes"] = changes
    if action == Action.DELETE and obj is not None and "deleted" not in detail:
        detail["deleted"] = saved_values(obj)
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
        detail=detail,
        object_type=object_type,
        program_id=program_id,
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.program_id = _program_id(obj)
    event.save()
    return event


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: records by id, dates in ISO form, decimals as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def saved_values(obj: models.Model) -> dict[str, Any]:
    """Every column of `obj` as it is in memory (a record about to be deleted)."""
    return {field.attname: _plain(getattr(obj, field.attname)) for field in obj._meta.concrete_fields}


def column_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The stored values of the named fields as they are in memory (a relation as its id, read
    without a query); names that are not columns (many-to-many, properties) are left out."""
    values: dict[str, Any] = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "concrete", False) and not field.many_to_many:
            values[name] = getattr(obj, field.attname)  # type: ignore[union-attr]  # concrete fields have one
    return values


def field_changes(obj: models.Model, before: Mapping[str, Any] | None = None) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value differs. `before` is `column_values`
    taken before the edit; without it, `obj` (not saved yet) is compared with its saved row."""
    if before is None:
        names = {field.attname: field.name for field in obj._meta.concrete_fields}
        saved = type(obj)._base_manager.filter(pk=obj.pk).values(*names).first() or {}
        before = {names[column]: value for column, value in saved.items()}
    after = column_values(obj, before)
    changes: dict[str, list[Any]] = {}
    for name, new in after.items():
        old_value, new_value = _plain(before[name]), _plain(new)
        if old_value != new_value:
            changes[name] = [old_value, new_value]
    return changes


CLIENT_MODEL = "clients.client"


def client_lookup(model: type[models.Model]) -> str | None:
    """The lookup prefix from a record to the client(s) it is about ("" for a client itself,
    "client__", "job__client__", "clients__"), or None for records about no client."""
    if model._meta.label_lower == CLIENT_MODEL:
        return ""
    for path in ("client", "job__client", "profile__client", "plan__client", "clients"):
        target: Any = model
        try:
            for part in path.split("__"):
                target = target._meta.get_field(part).related_model
        except (FieldDoesNotExist, AttributeError):  # no such field, or one without a related model
            continue
        if target is not None and target._meta.label_lower == CLIENT_MODEL:
            return path + "__"
    return None


def clients_of(model: type[models.Model], ids: list[Any]) -> list[tuple[int, int]]:
    """(client id, program id) of the clients the records `ids` of `model` are about: one query
    (none for records about no client), for `record_shown`."""
    lookup = client_lookup(model)
    if lookup is None or not ids:
        return []
    if lookup == "":
        return list(model._base_manager.filter(pk__in=ids).values_list("pk", "program_id"))
    return list(
        model._base_manager.filter(pk__in=ids)
        .exclude(**{f"{lookup}pk__isnull": True})
        .values_list(f"{lookup}pk", f"{lookup}program_id")
        .distinct()
    )


def record_shown(
    request_or_user: Any,
    object_type: str,
    ids: Iterable[Any],
    *,
    clients: Iterable[tuple[int, int | None]] = (),
    action: str = Action.VIEW,
    detail: dict[str, Any] | None = None,
    obj: models.Model | None = None,
    user: Any = None,
) -> AuditEvent:
    """One event for a list, drill-down, export or report page: the ids of the `object_type`
    records it showed and the clients they belong to ((client id, program id) pairs), so the
    client's trail and the accounting of disclosures find it. One event and one bulk insert per
    page, whatever its length. `obj`: the record the page is about (a report), named by the event."""
    if isinstance(request_or_user, HttpRequest):
        request = request_or_user  # `user` given: the API's token user, not on the Django request
    else:
        request, user = None, request_or_user
    programs: dict[int, int | None] = {}
    for client_id, program_id in clients:
        programs[int(client_id)] = program_id
    program_ids = set(programs.values())
    # The event's program: the one program every client shown belongs to, if there is one.
    event_program = program_ids.pop() if len(program_ids) == 1 else None
    # The entry and its subjects together, or neither (no savepoint: no extra queries).
    with transaction.atomic(savepoint=False):
        event = record(
            request,
            action,
            obj,
            user=user,
            object_type=object_type,
            program_id=event_program,
            detail={
                **(detail or {}),
                "shown": object_type,
                "ids": _plain(list(ids)),
                "clients": sorted(programs),
            },
        )
        if programs:
            AuditSubject.objects.bulk_create(
                [AuditSubject(event=event, client_id=c, program_id=p) for c, p in programs.items()]
            )
    return event


# --- Refusals inside a rolled-back transaction ----------------------------------------------------

_refusals: ContextVar[list[AuditEvent] | None] = ContextVar("audit_refusals", default=None)


@contextmanager
def refusals_kept() -> Iterator[None]:
    """While this block runs, a refusal recorded inside a transaction that is later rolled back
    (a service refusing a record in its own `atomic`) is written again when the block ends, once
    that transaction is gone. Around every request (audit.middleware); tasks may use it too."""
    token = _refusals.set([])
    try:
        yield
    finally:
        pending = _refusals.get() or []
        _refusals.reset(token)
        for event in pending:
            _write_again_if_lost(event)


def keep_if_rolled_back(event: AuditEvent) -> None:
    """Called by the access layer for a refusal written inside a transaction."""
    pending = _refusals.get()
    if pending is not None:
        pending.append(event)


def _write_again_if_lost(event: AuditEvent) -> None:
    if connection.needs_rollback or connection.in_atomic_block and connection.get_rollback():
        return  # still inside a broken transaction: nothing can be written
    if AuditEvent.objects.filter(pk=event.pk, hash=event.hash).exists():
        return  # the transaction was committed (or is still open): the entry stands
    AuditEvent(
        at=event.at,
        user_id=event.user_id,
        username=event.username,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        program_id=event.program_id,
        path=event.path,
        ip_address=event.ip_address,
        detail={**event.detail, "rolled_back": True},
    ).save()


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
    content) or preceded by a removed one (its `prev_hash` is not the previous entry's hash), and
    every entry whose subject rows differ from the clients its hashed `detail` names."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    subjects: dict[int, set[int]] = {}
    for event_id, client_id in AuditSubject.objects.values_list("event_id", "client_id").iterator(chunk_size=5000):
        subjects.setdefault(event_id, set()).add(client_id)
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.pk, "the entry before it was removed or altered (previous hash differs)"))
        if event.hash != entry_hash(event.prev_hash, event.hashed_values()):
            breaks.append(ChainBreak(event.pk, "its content was altered (hash differs)"))
        named = (event.detail or {}).get("clients", []) if isinstance(event.detail, dict) else []
        if subjects.pop(event.pk, set()) != set(named):
            breaks.append(ChainBreak(event.pk, "its client subject rows were added, removed or altered"))
        prev = event.hash
    return breaks
