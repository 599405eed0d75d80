"""Date rules and widgets shared by every form and service."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from .errors import RuleViolation


def check_not_in_future(value: datetime.date | None, *, field: str | None = None, label: str = "The date") -> None:
    """Refuse a date after today (the programs' time zone); on `field` when given."""
    if value is not None and value > timezone.localdate():
        message = f"{label} cannot be in the future."
        raise RuleViolation({field: message} if field else message, code="future_date")


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it expects."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
