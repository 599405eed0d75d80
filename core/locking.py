"""Optimistic locking: the one way an edit refuses to overwrite someone else's newer save.

An edit carries the version (`updated_at`) of the record it started from; `lock` re-reads the row
under a row lock inside the caller's transaction and refuses when it changed or went since.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from .errors import RuleViolation

M = TypeVar("M", bound=models.Model)

CHANGED = "Someone else saved this record while you were editing it. Their version is shown; check it, then save again."
DELETED = "This record was deleted by someone else."


class EditConflict(RuleViolation):
    """The record changed (or was deleted) since the editor read it."""

    def __init__(self, message: str = CHANGED, *, current: models.Model | None = None):
        super().__init__(message, code="conflict")
        self.current = current


def version_of(instance: models.Model | None) -> str:
    stamp = getattr(instance, "updated_at", None)
    return stamp.isoformat() if stamp else ""


def lock(record: M, version: str | None = None) -> M:
    """The record re-read under a row lock; EditConflict if it went or is newer than `version`.

    Call inside a transaction. `version` None only locks (a caller without an edit form)."""
    locked = type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise EditConflict(DELETED)
    if version is not None and version_of(locked) != version:
        raise EditConflict(current=locked)
    return locked
