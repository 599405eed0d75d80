"""The request form of quarterly reports: what (a program or a region) and which ended quarter."""

from django import forms

from . import selectors_quarterly as selectors
from . import services


class QuarterlyRequestForm(forms.Form):
    target = forms.ChoiceField(label="Report for")
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["target"].choices = selectors.request_targets(user)
        self.fields["quarter"].choices = [(p.code, p.label) for p in services.recent_quarters()]

    def clean_quarter(self):
        try:
            return services.parse_quarter(self.cleaned_data["quarter"])
        except services.ReportRequestError as exc:
            raise forms.ValidationError(str(exc)) from exc

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
