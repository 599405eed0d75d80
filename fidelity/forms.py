"""Forms of the fidelity workflow. They validate input; the rules live in fidelity/services.py."""

import datetime

from crispy_forms.helper import FormHelper
from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from core.dates import DateInput
from core.forms import VersionedModelForm

from . import selectors, services
from .models import ActionPlanItem, ActionStatus, DataSource, FidelityReview, ReviewType

SCORE_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ScheduleForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None)
    review_type = forms.ChoiceField(choices=ReviewType.choices, initial=ReviewType.FOLLOW_UP)
    visit_start = forms.DateField(widget=DateInput(), label="Visit starts")
    visit_end = forms.DateField(widget=DateInput(), label="Visit ends")
    reviewer_1 = ReviewerChoiceField(queryset=None, label="Reviewer 1")
    reviewer_2 = ReviewerChoiceField(queryset=None, label="Reviewer 2")
    period_start = forms.DateField(widget=DateInput(), label="Review period from", help_text="Program data looked at.")
    period_end = forms.DateField(widget=DateInput(), label="Review period to")

    def __init__(self, *args, programs, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["reviewer_1"].queryset = reviewers
        self.fields["reviewer_2"].queryset = reviewers
        self.helper = _helper()
        if not self.is_bound:
            today = timezone.localdate()
            visit = today + datetime.timedelta(days=14)
            self.initial.setdefault("visit_start", visit)
            self.initial.setdefault("visit_end", visit + datetime.timedelta(days=1))
            self.initial.setdefault("period_end", today)
            self.initial.setdefault("period_start", today - relativedelta(months=6) + datetime.timedelta(days=1))

    def clean(self):
        cleaned = super().clean()
        r1, r2 = cleaned.get("reviewer_1"), cleaned.get("reviewer_2")
        if r1 and r2 and r1 == r2:
            self.add_error("reviewer_2", "Choose a different person from reviewer 1.")
        start, end = cleaned.get("visit_start"), cleaned.get("visit_end")
        if start and end and end < start:
            self.add_error("visit_end", "The visit cannot end before it starts.")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The review period cannot end before it starts.")
        program = cleaned.get("program")
        if program and r1 and r2:
            eligible = set(selectors.eligible_reviewers(program).values_list("pk", flat=True))
            for name, user in (("reviewer_1", r1), ("reviewer_2", r2)):
                if user.pk not in eligible:
                    self.add_error(name, f"{user} is not a trainer of {program}'s region.")
        return cleaned


class ScoringForm(forms.Form):
    """One reviewer's scores: score_<n>, evidence_<n>, sources_<n> for each item (all optional in a draft)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items, existing, version="", **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["version"].initial = version  # services.sheet_version: a stale sheet is refused
        for item in items:
            row = existing.get(item.pk)
            n = item.number
            anchors = {a.score: a.text for a in item.anchors.all()}
            self.fields[f"score_{n}"] = forms.ChoiceField(
                choices=[(str(s), f"{s} — {anchors.get(s, '')}") for s in range(5, 0, -1)],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                required=False,
                label=f"Score for item {n}",
                initial=str(row.score) if row and row.score else None,
            )
            self.fields[f"evidence_{n}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label="Evidence",
                initial=row.evidence if row else "",
            )
            self.fields[f"sources_{n}"] = forms.MultipleChoiceField(
                choices=DataSource.choices,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                required=False,
                label="Data sources",
                initial=row.data_sources if row else [],
            )

    def entries(self):
        return {
            item.number: services.ScoreEntry(
                score=self.cleaned_data.get(f"score_{item.number}") or None,
                evidence=self.cleaned_data.get(f"evidence_{item.number}", ""),
                data_sources=tuple(self.cleaned_data.get(f"sources_{item.number}") or ()),
            )
            for item in self.items
        }

    def bound(self, item):
        n = item.number
        return self[f"score_{n}"], self[f"evidence_{n}"], self[f"sources_{n}"]


class ConsensusForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, rows, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.initial["version"] = version
        for row in rows:
            n, current = row["item"].number, row["item_score"]
            initial = current.consensus_score if current else None
            if initial is None and not row["disagree"] and row["first"] and row["second"]:
                initial = row["first"].score  # both reviewers gave this score: offered, saved only on submit
            self.fields[f"score_{n}"] = forms.ChoiceField(
                choices=[("", "—")] + SCORE_CHOICES,
                required=False,
                label=f"Agreed score for item {n}",
                initial=str(initial) if initial else "",
            )
            self.fields[f"rationale_{n}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label="Rationale",
                initial=current.rationale if current else "",
            )

    def entries(self):
        return {
            row["item"].number: (
                self.cleaned_data.get(f"score_{row['item'].number}") or None,
                self.cleaned_data.get(f"rationale_{row['item'].number}", ""),
            )
            for row in self.rows
        }


class ReportForm(VersionedModelForm):
    """Strengths, summary, and a recommendation for each item whose consensus score is below 5."""

    class Meta:
        model = FidelityReview
        fields = ["strengths", "summary"]
        widgets = {"strengths": forms.Textarea(attrs={"rows": 4}), "summary": forms.Textarea(attrs={"rows": 4})}
        labels = {"summary": "Overall summary"}

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["summary"].required = True
        self.fields["strengths"].required = True
        self.rec_rows = []
        for row in rows:
            item, score = row["item"], row["item_score"].consensus_score if row["item_score"] else None
            below = score is not None and score < 5
            if not below and not row["recommendation"]:
                continue
            name = f"rec_{item.number}"
            self.fields[name] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=below,
                label=f"{item.number}. {item.title} (score {score or '—'})",
                initial=row["recommendation"].text if row["recommendation"] else "",
                error_messages={"required": f"Write a recommendation for item {item.number} (scored below 5)."},
            )
            self.rec_rows.append((item, name))

    def recommendations(self):
        return {item.number: self.cleaned_data.get(name, "") for item, name in self.rec_rows}


class AmendmentForm(forms.Form):
    item_number = forms.TypedChoiceField(coerce=int, label="Item")
    new_score = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, label="Corrected score")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for the correction")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["item_number"].choices = [
            (r["item"].number, f"{r['item'].number}. {r['item'].title} (now {r['item_score'].consensus_score})")
            for r in rows
            if r["item_score"]
        ]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for the correction.")
        return reason


class ActionItemForm(VersionedModelForm):
    class Meta:
        model = ActionPlanItem
        fields = ["recommendation", "description", "owner", "due_date", "status", "progress_note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "progress_note": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
        }
        labels = {"recommendation": "For recommendation (optional)"}

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        field = self.fields["recommendation"]
        field.queryset = review.recommendations.select_related("item")
        field.label_from_instance = lambda r: (f"{r.item.number}. " if r.item else "") + r.text[:80]
        self.fields["status"].choices = ActionStatus.choices
