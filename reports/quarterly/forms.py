"""The request form of quarterly reports: what (a program or a region) and which ended quarter."""

from django import forms

from reports.models import ReportStatus

from . import selectors, services


class QuarterlyRequestForm(forms.Form):
    target = forms.ChoiceField(label="Report for")
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["target"].choices = selectors.request_targets(user)
        self.fields["quarter"].choices = [(p.code, p.label) for p in services.recent_quarters()]

    def clean_quarter(self):
        # A quarter that has not ended is refused by the service's rule (a RuleViolation: a field error).
        return services.parse_quarter(self.cleaned_data["quarter"])

    def clean_target(self):
        """The Program or Region chosen; the choices already hold only what the user may reach,
        and the lookup goes through the access layer again."""
        kind, _, pk = self.cleaned_data["target"].partition(":")
        source = (
            selectors.report_regions_for(self.user) if kind == "region" else selectors.report_programs_for(self.user)
        )
        target = source.filter(pk=pk).first() if pk.isdigit() else None
        if target is None:
            raise forms.ValidationError("Choose a program or region from the list.")
        return target


class QuarterlyFilterForm(forms.Form):
    """GET filters of the report list. Every choice comes from what the user may see, so a filter
    narrows the list and never widens it: another program's id is not a valid choice."""

    LATEST, ALL = "latest", "all"

    quarter = forms.ChoiceField(label="Quarter", required=False)
    program = forms.ModelChoiceField(label="Program", queryset=None, required=False, empty_label="All programs")
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *selectors.ReportKind.CHOICES])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ReportStatus.choices])
    versions = forms.ChoiceField(
        label="Versions", required=False, choices=[(LATEST, "Latest only"), (ALL, "All versions")]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = selectors.report_quarters(user)
        self.fields["quarter"].choices = [("", "All quarters")] + [(f"{y}Q{q}", f"{y} Q{q}") for y, q in quarters]
        self.fields["program"].queryset = selectors.report_programs_for(user).order_by("name")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self):
        """Keyword arguments of `selectors.report_list` (call after `is_valid()`)."""
        data = self.cleaned_data
        year, _, quarter = data["quarter"].partition("Q")
        return {
            "year": int(year) if year else None,
            "quarter": int(quarter) if quarter else None,
            "program": data["program"],
            "kind": data["kind"] or None,
            "status": data["status"] or None,
            "latest_only": data["versions"] != self.ALL,
        }
