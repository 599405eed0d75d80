"""Forms of the jobs pages. Rules shared with the API live in jobs/services.py; forms call them
in clean() so each error lands by its field, with the user's input kept."""

import json

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.dates import DateInput
from core.errors import RuleViolation, add_to_form
from core.forms import VersionedModelForm
from programs.models import Program
from programs.selectors import staff_of

from . import services
from .models import Employer, EmployerContact, FollowAlongSupport, JobStart, normalize_employer_name


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def duplicate_message(existing):
    url = reverse("jobs:employer_detail", args=[existing.pk])
    return format_html(
        '“{}” already exists in this program: <a href="{}">open the existing employer</a> instead of adding it again.',
        existing.name,
        url,
    )


class EmployerChoiceMixin:
    """An employer chosen among the program's employers, or typed as a new name (matched by
    normalised name, created when new) without leaving the form."""

    def setup_employer(self, employers, program_id=None):
        field = self.fields["employer"]
        field.queryset = employers
        field.required = False
        field.label = "Known employer"
        field.empty_label = "Choose an employer…"
        self.fields["employer_name"] = forms.CharField(
            label="…or a new employer",
            required=False,
            max_length=160,
            help_text="Type the name of an employer not in the list; an existing one with the same name is reused.",
        )
        hint_vals = {"hint": "1", **({"program": str(program_id)} if program_id else {})}
        self.fields["employer_name"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("jobs:employer_list"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#employer-hint",
                "hx-vals": json.dumps(hint_vals),
                "aria-describedby": "employer-hint",
            }
        )

    def clean_employer_choice(self, cleaned):
        employer, name = cleaned.get("employer"), (cleaned.get("employer_name") or "").strip()
        if "employer" in self.errors:
            return
        if employer is None and not name:
            self.add_error("employer", "Choose an employer, or type a new employer's name below.")
        elif employer is not None and name and normalize_employer_name(name) != employer.normalized_name:
            self.add_error("employer_name", f"You chose “{employer.name}” and typed another name: keep one.")


class JobFieldsMixin:
    def setup_job_fields(self):
        self.fields["occupation_group"].required = True
        self.fields["occupation_group"].help_text = "US SOC major group."
        hours = self.fields["hours_per_week"]
        hours.required = True
        hours.widget.attrs.update({"inputmode": "decimal", "min": "0.5", "max": "80", "step": "any"})
        wage = self.fields["hourly_wage"]
        wage.required = True
        wage.widget.attrs.update({"inputmode": "decimal", "min": "0.01", "step": "0.01"})
        # The confirm step for an unusual wage: shown only once a wage needs it (clean_wage_step).
        self.fields["wage_confirmed"] = forms.BooleanField(
            required=False, label=services.WAGE_CONFIRM_LABEL, widget=forms.HiddenInput
        )
        self.fields["is_competitive"].label = "Competitive job"
        self.fields["benefits_discussed"].label = "Benefits discussed before the start"
        self.fields["start_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_hours_per_week(self):
        hours = self.cleaned_data.get("hours_per_week")
        if hours is not None and not (0 < hours <= 80):
            raise ValidationError("Hours per week must be more than 0 and at most 80.")
        return hours

    def clean_hourly_wage(self):
        wage = self.cleaned_data.get("hourly_wage")
        if wage is not None and wage <= 0:
            raise ValidationError("The hourly wage must be more than 0.")
        return wage

    def clean_wage_step(self, cleaned, *, previous=None):
        """Ask to confirm an unusual wage (a new one, or a changed one on an edit) next to the field."""
        wage = cleaned.get("hourly_wage")
        if "hourly_wage" in self.errors or wage is None or wage == previous:
            return
        try:
            services.validate_wage(wage, confirmed=bool(cleaned.get("wage_confirmed")))
        except RuleViolation as error:
            # A wage outside the hard bounds is the model's own error (added by _post_clean).
            if isinstance(error, services.UnusualWage):
                add_to_form(self, error)
                self.fields["wage_confirmed"].widget = forms.CheckboxInput()


JOB_WIDGETS = {"start_date": DateInput()}


class JobStartForm(EmployerChoiceMixin, JobFieldsMixin, forms.ModelForm):
    class Meta:
        model = JobStart
        fields = ["employer", *services.JOB_FIELDS]
        widgets = JOB_WIDGETS

    def __init__(self, *args, client, enrollment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.enrollment = enrollment
        self.instance.client = client
        self.setup_employer(Employer.objects.filter(program_id=client.program_id).order_by("name"), client.program_id)
        self.order_fields(["employer", "employer_name"])
        self.setup_job_fields()
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        self.clean_employer_choice(cleaned)
        self.clean_wage_step(cleaned)
        try:
            services.validate_job_start(self.client, cleaned.get("start_date"), enrollment=self.enrollment)
        except RuleViolation as error:
            add_to_form(self, error)
        return cleaned

    def job_fields(self):
        fields = {name: self.cleaned_data[name] for name in services.JOB_FIELDS}
        return {**fields, "wage_confirmed": self.cleaned_data.get("wage_confirmed", False)}


class JobEditForm(JobFieldsMixin, VersionedModelForm):
    class Meta:
        model = JobStart
        fields = ["employer", *services.JOB_FIELDS]
        widgets = JOB_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(program_id=self.instance.client.program_id)
        self.fields["employer"].empty_label = None
        self.setup_job_fields()
        self.helper = _helper()
        self.saved_wage = self.instance.hourly_wage

    def clean(self):
        cleaned = super().clean()
        self.clean_wage_step(cleaned, previous=self.saved_wage)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Field-level checks of the edited values (the instance now carries them).
        try:
            if self.instance.employer_id:
                services.validate_job(self.instance)
        except RuleViolation as error:
            # The model's own date rule may already have said the same by the field.
            for field, messages in error.message_dict.items():
                for message in messages:
                    if message not in self.errors.get(field, []):
                        self.add_error(field if field in self.fields else None, message)


class JobEndForm(VersionedModelForm):
    class Meta:
        model = JobStart
        fields = list(services.END_FIELDS)
        widgets = {
            "end_date": DateInput(),
            "end_reason": forms.Textarea(attrs={"rows": 2}),
            "lessons_learned": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"lessons_learned": "What was learned", "end_reason": "Reason", "next_step": "Next step"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["end_type"].required = True
        self.fields["lessons_learned"].help_text = "About the client's preferences, strengths and supports."
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("end_date"):
            try:
                services.validate_job_end(self.instance, cleaned["end_date"])
            except RuleViolation as error:
                add_to_form(self, error)
        return cleaned


class SupportForm(VersionedModelForm):
    class Meta:
        model = FollowAlongSupport
        fields = ["support_date", "provider", "staff", "description", "minutes"]
        widgets = {"support_date": DateInput()}
        labels = {"description": "What support", "staff": "Staff member"}

    def __init__(self, *args, job, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        if not self.instance.pk:
            self.instance.job = job
        staff = self.fields["staff"]
        staff.queryset = staff_of(job.client.program_id).order_by("last_name", "first_name")
        staff.required = False
        if not self.is_bound:
            self.initial.setdefault("support_date", timezone.localdate())
            self.initial.setdefault("staff", user.pk)
        self.fields["support_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["minutes"].widget.attrs.update({"inputmode": "numeric", "min": "0", "max": "1440"})
        self.helper = _helper()

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes is not None and minutes > 24 * 60:
            raise ValidationError("Minutes must be at most 1440.")
        return minutes

    def clean(self):
        cleaned = super().clean()
        try:
            services.validate_support(self.job, cleaned.get("support_date"), cleaned.get("staff"))
        except RuleViolation as error:
            add_to_form(self, error)
        return cleaned

    def support_fields(self):
        return {name: self.cleaned_data[name] for name in services.SUPPORT_FIELDS}


class EmployerForm(VersionedModelForm):
    """Add or edit an employer; a name that normalises to an existing employer's is refused
    with a link to that employer (the database constraint backs it up)."""

    class Meta:
        model = Employer
        fields = ["name", "industry", "contact_person", "phone", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"type": "tel", "inputmode": "tel"})
        if not self.instance.pk:
            programs = list(programs or [])
            if len(programs) == 1:
                self.instance.program = programs[0]
            else:
                self.fields["program"] = forms.ModelChoiceField(
                    queryset=Program.objects.filter(pk__in=[p.pk for p in programs])
                )
                self.order_fields(["program", "name"])
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("program"):
            self.instance.program = cleaned["program"]
        name = cleaned.get("name")
        if name and getattr(self.instance, "program_id", None):
            existing = services.find_employer(self.instance.program, name, exclude_pk=self.instance.pk)
            if existing is not None:
                self.add_error("name", duplicate_message(existing))
        return cleaned

    def duplicate_error(self, existing):
        self.add_error("name", duplicate_message(existing))


def _names(clients):
    return ", ".join(c.display_name for c in clients)


class EmployerContactForm(EmployerChoiceMixin, VersionedModelForm):
    """The job-development log entry: today, face to face and 'made by me' by default.
    Bound to a saved contact, it corrects it (optimistic locking through the version)."""

    class Meta:
        model = EmployerContact
        fields = [
            "contact_date",
            "employer",
            "face_to_face",
            "purpose",
            "contact_person",
            "client_specific",
            "clients",
            "made_by",
            "outcome",
            "next_step",
        ]
        widgets = {"contact_date": DateInput(), "outcome": forms.Textarea(attrs={"rows": 2})}
        labels = {"face_to_face": "Face to face", "client_specific": "About specific client(s)", "contact_date": "Date"}

    def __init__(self, *args, employers, clients, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.setup_employer(employers, program.pk if program else None)
        self.order_fields(["contact_date", "employer", "employer_name"])
        self.fields["clients"].queryset = clients
        self.fields["clients"].label = "Clients discussed"
        self.fields["clients"].help_text = "Only clients of the program with an open enrollment" + (
            ", and those already discussed." if self.instance.pk else "."
        )
        self.fields["contact_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound:
            self.initial.setdefault("contact_date", timezone.localdate())
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        self.clean_employer_choice(cleaned)
        employer = cleaned.get("employer")
        clients = list(cleaned.get("clients") or [])
        if employer is not None:
            try:
                services.validate_employer_contact(
                    employer, cleaned.get("contact_date"), clients, bool(cleaned.get("client_specific"))
                )
            except RuleViolation as error:
                add_to_form(self, error)
        else:
            program = self.new_employer_program()
            if cleaned.get("employer_name") and program is None:
                self.add_error("employer_name", "You work in several programs: choose an employer from the list.")
            try:
                services.validate_employer_contact(
                    Employer(program=program),
                    cleaned.get("contact_date"),
                    clients,
                    bool(cleaned.get("client_specific")),
                )
            except RuleViolation as error:
                add_to_form(self, error)
        return cleaned

    def new_employer_program(self):
        """The program a typed new employer belongs to: the clients' program, else the user's only one."""
        clients = self.cleaned_data.get("clients") or []
        programs = {c.program_id for c in clients}
        if len(programs) == 1:
            return Program.objects.get(pk=programs.pop())
        return self.program

    def contact_fields(self):
        return {name: self.cleaned_data[name] for name in services.CONTACT_FIELDS}

    def show_conflict(self, current, cleaned=None):
        """Clients are a many-to-many: compare the sets (the base class compares single values)."""
        super().show_conflict(current, cleaned)
        cleaned = self.cleaned_data if cleaned is None else cleaned
        label = self.fields["clients"].label
        self.conflict_changes = [change for change in self.conflict_changes if change[0] != label]
        theirs = list(current.clients.all())
        mine = list(cleaned.get("clients") or [])
        if {c.pk for c in theirs} != {c.pk for c in mine}:
            self.conflict_changes.append((label, _names(theirs), _names(mine)))
