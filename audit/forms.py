"""The accounting of disclosures' filters: parsed by a form, so no input gives a 500."""

from __future__ import annotations

from typing import Any

from django import forms


class DisclosureFilterForm(forms.Form):
    client = forms.IntegerField(required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput)
    program = forms.ChoiceField(required=False)
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, programs: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "All my programs"), *programs]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date cannot be before the start date.")
        return data
