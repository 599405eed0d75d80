"""VersionedModelForm: an edit form that refuses to overwrite a newer version of its record.

The form carries the record's version (core.locking.version_of) as a hidden field. A submit over a
record that someone else changed since the form was opened is refused with the other person's
values shown; the final check runs again under a row lock when saving (core.locking.lock).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .locking import CHANGED, DELETED, EditConflict, lock, version_of


class VersionedModelForm(forms.ModelForm):
    """After a conflict, `form.conflict` is the record as it is now and `form.conflict_changes`
    lists (field label, their value, your value) for the fields that differ."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.conflict: models.Model | None = None
        self.conflict_changes: list[tuple[str, Any, Any]] = []
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)

    @property
    def submitted_version(self) -> str:
        return self.data.get(self.add_prefix("version")) or ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if current is None:
                raise ValidationError(DELETED, code="conflict")
            if version_of(current) != self.submitted_version:
                self.show_conflict(current)
                raise ValidationError(CHANGED, code="conflict")
        return cleaned

    def show_conflict(self, current: models.Model, cleaned: dict[str, Any] | None = None) -> None:
        """Record what the other person saved, and carry their version so a second submit wins."""
        cleaned = self.cleaned_data if cleaned is None and hasattr(self, "cleaned_data") else (cleaned or {})
        self.conflict = current
        self.conflict_changes = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            theirs = getattr(current, name)
            mine = cleaned.get(name, getattr(self.instance, name, None))
            theirs_cmp, mine_cmp = (theirs.pk, getattr(mine, "pk", mine)) if hasattr(theirs, "pk") else (theirs, mine)
            if theirs_cmp != mine_cmp:
                display = getattr(current, f"get_{name}_display", None)
                self.conflict_changes.append((str(field.label or name), display() if display else theirs, mine))
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or dict, both copy
        data[self.add_prefix("version")] = version_of(current)
        self.data = data

    def save(self, commit: bool = True) -> Any:
        if not commit or not self.instance.pk:
            return super().save(commit=commit)
        with transaction.atomic():
            # Two saves validated at the same moment cannot both win.
            lock(self.instance, self.submitted_version)
            return super().save(commit=True)


__all__ = ["EditConflict", "VersionedModelForm"]
