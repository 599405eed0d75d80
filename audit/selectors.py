"""Reading the audit trail: who looked at or changed a record, and when."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def events_about(obj: models.Model) -> QuerySet[AuditEvent]:
    """Every audit event naming `obj`, newest first (views, changes, exports, refusals)."""
    return (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("user")
        .order_by("-at", "-pk")
    )
