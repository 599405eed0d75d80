"""Plausible data, enforced by the models themselves so that services, forms, the admin and the API
share one rule (issue #13.5, #12.5).

- Dates of what happened are never in the future (core.dates) and never before the client's first
  referral: nothing is recorded about a client before the program knew them.
- Notes are at most NOTE_MAX_LENGTH characters (a note is a short record, not a document); the
  database backs it with a check constraint where the note is kept.

A model lists its checked dates in `past_dates` ({field: label}) and the dates that cannot precede
the referral in `after_referral`; `referral_client_id()` names the client. The checks run in
`clean_fields`, so a form that does not show a field (or whose own validation of it failed) is not
given an error on a field it cannot display.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Min

from core.dates import check_not_in_future
from core.errors import RuleViolation

NOTE_MAX_LENGTH = 5000
note_length = MaxLengthValidator(NOTE_MAX_LENGTH)


def first_referral(client_id: int | None) -> datetime.date | None:
    """The client's first referral date (their earliest episode), or None before they have one."""
    if client_id is None:
        return None
    from .models import Enrollment  # the models module imports this one

    return Enrollment.objects.filter(client_id=client_id).aggregate(first=Min("referral_date"))["first"]


def _day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


class PlausibleDates:
    """Mixin for a model: its `past_dates` not in the future, its `after_referral` dates not before
    the client's first referral."""

    past_dates: ClassVar[dict[str, str]] = {}
    after_referral: ClassVar[tuple[str, ...]] = ()

    def referral_client_id(self) -> int | None:
        return getattr(self, "client_id", None)

    def plausibility_errors(self, exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        referral: datetime.date | None = None
        referral_read = False
        for name, label in self.past_dates.items():
            value = getattr(self, name, None)
            if name in exclude or not isinstance(value, datetime.date):
                continue
            try:
                check_not_in_future(value, label=label)
            except RuleViolation as exc:
                errors.setdefault(name, []).extend(exc.messages)
                continue
            if name in self.after_referral:
                if not referral_read:
                    referral, referral_read = first_referral(self.referral_client_id()), True
                if referral is not None and value < referral:
                    message = f"{label} cannot be before the client's referral ({_day(referral)})."
                    errors.setdefault(name, []).append(message)
        return errors

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        for name, messages in self.plausibility_errors(skip).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
