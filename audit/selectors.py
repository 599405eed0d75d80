"""Reading the audit trail: who looked at or changed a record, and what left the system."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from .models import Action, AuditEvent, AuditSubject

# The model whose lists and exports name their records in AuditSubject rows.
CLIENT_TYPE = "clients.client"


def _showing(client_id: int) -> Q:
    """Events of lists, exports and reports that showed the client (an index lookup, no JSON search)."""
    return Q(pk__in=AuditSubject.objects.filter(client_id=client_id).values("event"))


def events_about(obj: models.Model) -> QuerySet[AuditEvent]:
    """Every audit event naming `obj`, newest first (views, changes, exports, refusals); for a client
    also every list, drill-down, export and report that showed it."""
    label = obj._meta.label_lower
    condition = Q(object_type=label, object_id=str(obj.pk))
    if label == CLIENT_TYPE:
        condition |= _showing(obj.pk)
    return AuditEvent.objects.filter(condition).select_related("user").order_by("-at", "-pk")


def disclosures(
    program_ids: Any,
    *,
    client_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The accounting of disclosures: every export, print and PDF (action EXPORT) of the programs
    `program_ids` (ids, or a queryset of ids), newest first; optionally only those naming one client
    and only between two dates (inclusive)."""
    events = AuditEvent.objects.filter(action=Action.EXPORT).filter(
        Q(program_id__in=program_ids)
        | Q(pk__in=AuditSubject.objects.filter(program_id__in=program_ids).values("event"))
    )
    if client_id is not None:
        events = events.filter(Q(object_type=CLIENT_TYPE, object_id=str(client_id)) | _showing(client_id))
    if start is not None:
        events = events.filter(at__date__gte=start)
    if end is not None:
        events = events.filter(at__date__lte=end)
    return events.select_related("user").order_by("-at", "-pk")
