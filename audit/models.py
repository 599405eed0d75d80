"""Who did what to which record, when and from where.

Rows are written by audit.services.record and never edited: the model refuses to change or delete
a saved row (save, delete, queryset update and delete), the admin shows them read-only, PostgreSQL
refuses UPDATE and DELETE with a trigger (migration 0003), and each row carries the hash of the
previous one (audit.chain) so `manage.py verify_audit` finds a row removed or altered behind Django's
back. A list, export or report names the clients it showed in `detail["clients"]` and, for the
"who looked at this client" search, in AuditSubject rows (one per client, indexed, append-only too).
Changes keep the fields' before and after values (`detail["changes"]`) and deletes the deleted
values (`detail["deleted"]`): the trail is itself protected health information.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .chain import GENESIS, HASHED_FIELDS, entry_hash

# Any constant: the key of the PostgreSQL advisory lock that serialises writers of the chain.
CHAIN_LOCK_KEY = 1414_0004


class AppendOnlyError(Exception):
    """An audit entry was about to be changed or deleted."""


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logged out"
    DENIED = "denied", "Refused"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        # The one update allowed: a deleted user's events lose the link (the username stays, hashed).
        if set(kwargs) <= {"user", "user_id"} and all(value is None for value in kwargs.values()):
            return super().update(**kwargs)
        raise AppendOnlyError("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are never deleted.")

    delete.queryset_only = True  # type: ignore[attr-defined]  # as Django marks QuerySet.delete


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept when the user is deleted.")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    program_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        # No savepoint: the caller's transaction, or a new one, holds the lock until it commits.
        with transaction.atomic(savepoint=False):
            # One writer at a time appends to the chain (SQLite's IMMEDIATE transactions already are).
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
            self.prev_hash = last or GENESIS
            self.hash = entry_hash(self.prev_hash, self.hashed_values())
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are never deleted.")

    def hashed_values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in HASHED_FIELDS}
        # As stored: the database column holds the normalised address.
        values["ip_address"] = self._meta.get_field("ip_address").get_prep_value(self.ip_address)
        return values


class AuditSubjectQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are never deleted.")

    delete.queryset_only = True  # type: ignore[attr-defined]  # as Django marks QuerySet.delete


class AuditSubject(models.Model):
    """A client an audit event showed (a list, drill-down, export or report): a portable index of
    `detail["clients"]`, so the client's trail finds the event on SQLite and PostgreSQL alike."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    client_id = models.BigIntegerField()
    program_id = models.BigIntegerField(null=True, blank=True)

    objects = AuditSubjectQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["client_id", "event"]), models.Index(fields=["program_id", "event"])]
        constraints = [models.UniqueConstraint(fields=["event", "client_id"], name="audit_subject_once_per_event")]

    def __str__(self):
        return f"event {self.event_id} client {self.client_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are never deleted.")
