"""Form building blocks shared by every app's edit forms.

VersionedModelForm gives optimistic locking: the form carries the record's `updated_at` as a
hidden version, and a save over a record that someone else changed since the form was opened
is refused with the other person's values shown, instead of silently overwriting them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction


def version_of(instance):
    stamp = getattr(instance, "updated_at", None)
    return stamp.isoformat() if stamp else ""


class EditConflict(Exception):
    """Raised by save() when the row changed between validation and the write."""


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for records with `updated_at` that refuses to overwrite a newer version.

    After an invalid submit caused by a conflict, `form.conflict` is the record as it is now and
    `form.conflict_changes` lists (field label, their value, your value) for the fields that differ,
    so the template can show what the other person saved.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    conflict_message = (
        "Someone else saved this record while you were editing it. Their version is shown below; "
        "check it, then save again to keep your changes."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.conflict_changes = []
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if current is None:
                raise ValidationError("This record was deleted by someone else.")
            if version_of(current) != (self.data.get(self.add_prefix("version")) or ""):
                self._record_conflict(current, cleaned)
                # The next submit carries the current version, so saving again is a deliberate choice.
                data = self.data.copy()
                data[self.add_prefix("version")] = version_of(current)
                self.data = data
                raise ValidationError(self.conflict_message, code="conflict")
        return cleaned

    def _record_conflict(self, current, cleaned):
        self.conflict = current
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            theirs = getattr(current, name)
            mine = cleaned.get(name, getattr(self.instance, name, None))
            if hasattr(theirs, "pk"):
                theirs_cmp, mine_cmp = theirs.pk, getattr(mine, "pk", mine)
            else:
                theirs_cmp, mine_cmp = theirs, mine
            if theirs_cmp != mine_cmp:
                display = getattr(current, f"get_{name}_display", None)
                self.conflict_changes.append((field.label or name, display() if display else theirs, mine))

    def save(self, commit=True):
        if not commit or not self.instance.pk:
            return super().save(commit=commit)
        model = type(self.instance)
        with transaction.atomic():
            # Re-check under a row lock: two saves validated at the same moment cannot both win.
            locked = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
            if locked is None or version_of(locked) != (self.data.get(self.add_prefix("version")) or ""):
                raise EditConflict(self.conflict_message)
            return super().save(commit=True)
