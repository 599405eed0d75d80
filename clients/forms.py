"""Forms of the client pages. Rules that a later API shares live in services.py; these forms
check the input and hand it over. Edit forms use optimistic locking (VersionedModelForm)."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.dates import DateInput, check_not_in_future
from core.forms import VersionedModelForm
from core.locking import version_of
from programs.models import TreatmentTeam
from programs.selectors import specialists_of

from .corrections import REASON_MAX_LENGTH
from .models import (
    Benefit,
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    ClosureReason,
    Contact,
    ContactMode,
    ContactPlace,
    ContactWith,
    EmploymentPlan,
    PlanStep,
    WorkHistoryEntry,
    WorkIncentive,
)
from .plausible import NOTE_MAX_LENGTH


def _past_or_today(value, label):
    """A field's date, refused by the one date rule (core.dates) when it is in the future."""
    check_not_in_future(value, label=label)
    return value


class ContactForm(forms.ModelForm):
    """The full contact form; the quick log posts the same fields with the defaults filled in."""

    class Meta:
        model = Contact
        fields = ["contact_date", "with_whom", "mode", "place", "minutes", "note"]
        widgets = {
            "contact_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2, "placeholder": "Optional short note"}),
            "minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 1440}),
        }
        labels = {"contact_date": "Date", "with_whom": "With", "mode": "How", "place": "Where"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].required = True
        self.fields["mode"].choices = ContactMode.choices
        self.fields["with_whom"].choices = ContactWith.choices
        self.fields["place"].choices = ContactPlace.choices
        if not self.is_bound and not self.instance.pk:
            self.initial.update(
                contact_date=timezone.localdate(),
                with_whom=ContactWith.CLIENT,
                mode=ContactMode.FACE_TO_FACE,
                place=ContactPlace.COMMUNITY,
            )

    def clean_contact_date(self):
        return _past_or_today(self.cleaned_data.get("contact_date"), "The contact date")


class ContactEditForm(ContactForm, VersionedModelForm):
    """Correcting a logged contact: the same fields, under the optimistic lock."""

    class Meta(ContactForm.Meta):
        pass


class DeleteForm(forms.Form):
    """The confirmation of a deletion: the reason is required and kept in the audit log."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. duplicate entry, wrong client"}),
        help_text="Kept in the audit log with the deleted values.",
    )


class ReferralForm(forms.ModelForm):
    """A new referral: the client's facts, the referral date, optionally the specialist."""

    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    referral_date = forms.DateField(widget=DateInput())
    specialist = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not assigned yet")

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "record_number",
            "date_of_birth",
            "phone",
            "diagnosis_group",
            "treatment_team",
            "education_level",
            "disclosure_preference",
        ]
        widgets = {"date_of_birth": DateInput()}

    field_order = ["program", "referral_date", "specialist"]

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        only = list(programs[:2])
        if len(only) == 1:
            self.fields["program"].initial = only[0].pk
            self.fields["program"].widget = forms.HiddenInput()
        self.fields["treatment_team"].queryset = TreatmentTeam.objects.filter(program__in=programs)
        self.fields["specialist"].queryset = specialists_of(programs)
        self.fields["referral_date"].initial = timezone.localdate()
        self.order_fields(["program", "referral_date", "specialist", *self.Meta.fields])

    def clean_referral_date(self):
        return _past_or_today(self.cleaned_data.get("referral_date"), "The referral date")

    def clean_date_of_birth(self):
        return _past_or_today(self.cleaned_data.get("date_of_birth"), "The date of birth")

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        team = cleaned.get("treatment_team")
        if program and team and team.program_id != program.pk:
            self.add_error("treatment_team", "Choose a team of the client's program.")
        specialist = cleaned.get("specialist")
        if program and specialist and not specialists_of(program).filter(pk=specialist.pk).exists():
            self.add_error("specialist", "Choose one of the program's employment specialists.")
        return cleaned

    def client_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class _VersionField(forms.Form):
    """The hidden version of the episode the form was opened on (core.locking.version_of), handed to
    the service so a stale form is refused (EditConflict) instead of silently overwriting."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    conflict_changes = ()

    @property
    def submitted_version(self):
        return self.data.get(self.add_prefix("version")) or ""

    def show_conflict(self, current):
        """After an EditConflict: what the other person saved next to this input (kept), and their
        version carried in the form, so saving again deliberately replaces theirs."""
        changes = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            theirs, mine = getattr(current, name), self.cleaned_data.get(name)
            if getattr(theirs, "pk", theirs) != getattr(mine, "pk", mine):
                display = getattr(current, f"get_{name}_display", None)
                changes.append(
                    (str(field.label or name.replace("_", " ").capitalize()), display() if display else theirs, mine)
                )
        self.conflict_changes = changes
        data = self.data.copy()
        data[self.add_prefix("version")] = version_of(current)
        self.data = data


class EnrollForm(_VersionField):
    enrollment_date = forms.DateField(widget=DateInput())
    specialist = forms.ModelChoiceField(queryset=None, empty_label=None)
    employed_at_enrollment = forms.BooleanField(required=False, label="Already working when enrolling")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists_of(program)

    def clean_enrollment_date(self):
        return _past_or_today(self.cleaned_data.get("enrollment_date"), "The enrollment date")


class ClosureForm(_VersionField):
    closure_date = forms.DateField(widget=DateInput())
    closure_reason = forms.ChoiceField(choices=[("", "Choose a reason…"), *ClosureReason.choices], label="Reason")
    closure_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note", max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        self.fields["closure_date"].initial = timezone.localdate()
        self.initial.setdefault("version", version_of(enrollment))

    def clean_closure_date(self):
        value = _past_or_today(self.cleaned_data.get("closure_date"), "The closure date")
        start = self.enrollment.enrollment_date or self.enrollment.referral_date
        if value and value < start:
            raise forms.ValidationError(f"The closure date cannot be before the enrollment ({start:%b %-d, %Y}).")
        return value


class ReenrollForm(forms.Form):
    referral_date = forms.DateField(widget=DateInput())
    enrollment_date = forms.DateField(widget=DateInput(), required=False, help_text="Leave blank while pending.")
    specialist = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not assigned yet")
    employed_at_enrollment = forms.BooleanField(required=False, label="Already working when enrolling")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists_of(program)
        self.fields["referral_date"].initial = timezone.localdate()

    def clean_referral_date(self):
        return _past_or_today(self.cleaned_data.get("referral_date"), "The referral date")

    def clean_enrollment_date(self):
        return _past_or_today(self.cleaned_data.get("enrollment_date"), "The enrollment date")

    def clean(self):
        cleaned = super().clean()
        referral, enrolled = cleaned.get("referral_date"), cleaned.get("enrollment_date")
        if referral and enrolled and enrolled < referral:
            self.add_error("enrollment_date", "The enrollment date cannot be before the referral date.")
        return cleaned


class CareerProfileForm(VersionedModelForm):
    class Meta:
        model = CareerProfile
        exclude = ["client"]
        widgets = {
            "last_reviewed": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in [
                    "work_goals",
                    "education_and_licences",
                    "skills_and_strengths",
                    "preferred_job_types",
                    "current_adjustment",
                    "benefits_summary",
                    "support_network",
                    "disclosure_preferences",
                ]
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["last_reviewed"] = timezone.localdate()

    def clean_last_reviewed(self):
        return _past_or_today(self.cleaned_data.get("last_reviewed"), "The review date")


class _EndAfterStartMixin:
    start_field, end_field = "start_date", "end_date"
    order_message = "The end date cannot be before the start date."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get(self.start_field), cleaned.get(self.end_field)
        if start and end and end < start:
            self.add_error(self.end_field, self.order_message)
        return cleaned


class WorkHistoryEntryForm(_EndAfterStartMixin, VersionedModelForm):
    class Meta:
        model = WorkHistoryEntry
        exclude = ["profile"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in ["duties", "liked", "disliked", "reason_left"]},
        }

    def clean_start_date(self):
        return _past_or_today(self.cleaned_data.get("start_date"), "The start date")

    def clean_end_date(self):
        return _past_or_today(self.cleaned_data.get("end_date"), "The end date")


class EmploymentPlanForm(_EndAfterStartMixin, VersionedModelForm):
    end_field = "review_date"
    order_message = "The review date cannot be before the plan starts."

    class Meta:
        model = EmploymentPlan
        fields = ["goal", "start_date", "review_date"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3}), "start_date": DateInput(), "review_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial["start_date"] = timezone.localdate()


class PlanStepForm(VersionedModelForm):
    class Meta:
        model = PlanStep
        fields = ["description", "responsible", "target_date", "completed_on"]
        widgets = {"target_date": DateInput(), "completed_on": DateInput()}
        labels = {"responsible": "Who does it", "completed_on": "Done on"}

    def clean_completed_on(self):
        return _past_or_today(self.cleaned_data.get("completed_on"), "The completion date")


class DatalistTextInput(forms.TextInput):
    """A text input offering `options` through a <datalist> (typed freely; no JavaScript)."""

    def __init__(self, attrs=None, options=()):
        super().__init__(attrs)
        self.options = list(options)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((option,) for option in self.options))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class BenefitsSessionForm(_EndAfterStartMixin, VersionedModelForm):
    start_field, end_field = "session_date", "next_review_date"
    order_message = "The next review cannot be before the session."

    benefits_held = forms.MultipleChoiceField(
        choices=Benefit.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    work_incentives_discussed = forms.MultipleChoiceField(
        choices=WorkIncentive.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = BenefitsCounselingSession
        exclude = ["client"]
        widgets = {
            "session_date": DateInput(),
            "next_review_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "counselor_name": DatalistTextInput(),
        }

    def __init__(self, *args, counselor_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Names from the program's earlier sessions (clients.selectors.counselor_names), offered as you type.
        self.fields["counselor_name"].widget.options = list(counselor_names)
        if not self.instance.pk and not self.is_bound:
            self.initial["session_date"] = timezone.localdate()

    def clean_session_date(self):
        return _past_or_today(self.cleaned_data.get("session_date"), "The session date")
