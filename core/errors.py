"""The one exception a service raises when a business rule refuses an action.

`RuleViolation` is a Django `ValidationError`, so a message can belong to a field
(`RuleViolation({"end_date": "..."})`) or to the whole action (`RuleViolation("...")`); views put it
on their form with `add_to_form`, and the API turns the same dict into a 400 with field errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A rule of the domain refused the action; nothing was written."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None, *, items: Iterable[Any] = ()):
        super().__init__(message, code=code, params=params)
        # Things the message is about (e.g. IPS-25 item numbers), for views that highlight them.
        self.items = list(items)


def raise_if_any(errors: dict[str, Any], code: str | None = None) -> None:
    """Raise one RuleViolation carrying every collected field error, if there is any."""
    if errors:
        raise RuleViolation(errors, code=code)


def add_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a rule's messages on `form`: by their field where the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, messages)
