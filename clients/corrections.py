"""Deleting what was recorded by mistake: a duplicate contact, a session on the wrong client, a job
entered on the wrong client (#13.4).

A deletion needs a reason, and is audited inside its own transaction with the record's values kept in
the audit entry's detail (`{"reason": ..., "deleted": {field: value}}`), so the record can be read back
from the audit log. Figures are computed live from the records, so a deleted record stops counting at
once. Edits go through the services' update functions (optimistic lock).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation
from core.locking import lock
from programs.access import Capability, require
from programs.models import User

from .models import BenefitsCounselingSession, Contact, PlanStep, WorkHistoryEntry

REASON_MAX_LENGTH = 500
NO_REASON = "Say why this record is deleted (e.g. “duplicate”, “wrong client”)."


def values_of(obj: models.Model) -> dict[str, Any]:
    """The record's stored values (foreign keys as ids), as JSON the audit log can keep."""
    values = {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation({"reason": NO_REASON}, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleViolation({"reason": f"Keep the reason under {REASON_MAX_LENGTH} characters."})
    return reason


def delete_with_reason(obj: models.Model, *, user: User, reason: str, extra: dict[str, Any] | None = None) -> None:
    """Delete `obj` (access-checked, re-read under a row lock), audited with its values and `reason`.

    `extra` adds to the audit detail (e.g. the dependent records deleted with it)."""
    require(user, Capability.EDIT_CLIENTS, obj)
    reason = clean_reason(reason)
    with transaction.atomic():
        current = lock(obj)  # EditConflict if someone deleted it meanwhile
        detail = {"reason": reason, "deleted": values_of(current), **(extra or {})}
        # Audited while the record and its program still exist.
        record(None, Action.DELETE, current, user=user, detail=detail)
        current.delete()


def delete_contact(contact: Contact, *, user: User, reason: str) -> None:
    delete_with_reason(contact, user=user, reason=reason)


def delete_benefits_session(session: BenefitsCounselingSession, *, user: User, reason: str) -> None:
    delete_with_reason(session, user=user, reason=reason)


def delete_step(step: PlanStep, *, user: User, reason: str) -> None:
    delete_with_reason(step, user=user, reason=reason)


def delete_past_job(entry: WorkHistoryEntry, *, user: User, reason: str) -> None:
    delete_with_reason(entry, user=user, reason=reason)
