"""What a write accepts. Related records are given by id and looked up through the access layer by
the view (another program's id is a 404, like a page), then the domain's service decides."""

from __future__ import annotations

from rest_framework import serializers

from clients.models import ContactMode, ContactPlace, ContactWith, StepOwner
from fidelity.models import DataSource
from jobs.models import ContactPurpose, Disclosure, JobType, MadeBy, OccupationGroup

from .filters import MAX_ID


class ContactInput(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contact_date = serializers.DateField(required=False, help_text="Defaults to today.")
    with_whom = serializers.ChoiceField(ContactWith.choices, default=ContactWith.CLIENT)
    mode = serializers.ChoiceField(ContactMode.choices, default=ContactMode.FACE_TO_FACE)
    place = serializers.ChoiceField(ContactPlace.choices, default=ContactPlace.COMMUNITY)
    minutes = serializers.IntegerField(min_value=0, max_value=1440, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class EmployerContactInput(serializers.Serializer):
    employer = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contact_date = serializers.DateField()
    clients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )
    client_specific = serializers.BooleanField(required=False, allow_null=True, default=None)
    face_to_face = serializers.BooleanField(default=True)
    purpose = serializers.ChoiceField(ContactPurpose.choices, default=ContactPurpose.INTRODUCTION)
    contact_person = serializers.CharField(required=False, allow_blank=True, max_length=120)
    made_by = serializers.ChoiceField(MadeBy.choices, default=MadeBy.SPECIALIST)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=300)


class EmployerContactUpdate(EmployerContactInput):
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


class JobStartInput(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    employer = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="An employer of the client's program."
    )
    employer_name = serializers.CharField(
        required=False, max_length=160, help_text="Or name one: matched by name, created when new."
    )
    job_title = serializers.CharField(max_length=160)
    occupation_group = serializers.ChoiceField(OccupationGroup.choices, required=False, allow_blank=True)
    start_date = serializers.DateField()
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=168, required=False, allow_null=True
    )
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False, allow_null=True)
    wage_confirmed = serializers.BooleanField(
        required=False, help_text="Confirms a wage outside the usual band (otherwise a field error asks for it)."
    )
    is_competitive = serializers.BooleanField(required=False)
    job_type = serializers.ChoiceField(JobType.choices, required=False)
    disclosure = serializers.ChoiceField(Disclosure.choices, required=False)
    benefits_discussed = serializers.BooleanField(required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("employer") and not (attrs.get("employer_name") or "").strip():
            raise serializers.ValidationError({"employer": "Give an employer id or an employer_name."})
        return attrs


class JobStartUpdate(serializers.Serializer):
    """A correction of some of a job's facts (PATCH): only the fields sent change."""

    employer = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    job_title = serializers.CharField(max_length=160, required=False)
    occupation_group = serializers.ChoiceField(OccupationGroup.choices, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=168, required=False, allow_null=True
    )
    hourly_wage = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False, allow_null=True)
    wage_confirmed = serializers.BooleanField(
        required=False, help_text="Confirms a wage outside the usual band (otherwise a field error asks for it)."
    )
    is_competitive = serializers.BooleanField(required=False)
    job_type = serializers.ChoiceField(JobType.choices, required=False)
    disclosure = serializers.ChoiceField(Disclosure.choices, required=False)
    benefits_discussed = serializers.BooleanField(required=False)
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


# --- Career profile, work history, employment plan -------------------------------------------------

TEXT = {"required": False, "allow_blank": True, "max_length": 5000}


class CareerProfileUpdate(serializers.Serializer):
    work_goals = serializers.CharField(**TEXT)
    education_and_licences = serializers.CharField(**TEXT)
    skills_and_strengths = serializers.CharField(**TEXT)
    preferred_job_types = serializers.CharField(**TEXT)
    preferred_hours = serializers.CharField(required=False, allow_blank=True, max_length=120)
    preferred_setting = serializers.CharField(required=False, allow_blank=True, max_length=200)
    preferred_location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    current_adjustment = serializers.CharField(**TEXT)
    transportation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    benefits_summary = serializers.CharField(**TEXT)
    support_network = serializers.CharField(**TEXT)
    disclosure_preferences = serializers.CharField(**TEXT)
    last_reviewed = serializers.DateField(required=False, allow_null=True, help_text="Not in the future.")
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


class CareerProfileInput(CareerProfileUpdate):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = None  # type: ignore[assignment]  # a new profile has none


class WorkHistoryUpdate(serializers.Serializer):
    employer_name = serializers.CharField(max_length=160, required=False)
    job_title = serializers.CharField(max_length=160, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    duties = serializers.CharField(**TEXT)
    liked = serializers.CharField(**TEXT)
    disliked = serializers.CharField(**TEXT)
    reason_left = serializers.CharField(**TEXT)
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


class WorkHistoryInput(WorkHistoryUpdate):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    employer_name = serializers.CharField(max_length=160)
    job_title = serializers.CharField(max_length=160)
    version = None  # type: ignore[assignment]


class PlanInput(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    goal = serializers.CharField(max_length=5000)
    start_date = serializers.DateField()
    review_date = serializers.DateField(required=False, allow_null=True)


class PlanUpdate(serializers.Serializer):
    goal = serializers.CharField(max_length=5000, required=False)
    start_date = serializers.DateField(required=False)
    review_date = serializers.DateField(required=False, allow_null=True)
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


class StepUpdate(serializers.Serializer):
    description = serializers.CharField(max_length=300, required=False)
    responsible = serializers.ChoiceField(StepOwner.choices, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True, help_text="Not in the future.")
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")


class StepInput(StepUpdate):
    plan = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    description = serializers.CharField(max_length=300)
    version = None  # type: ignore[assignment]


# --- Fidelity scores -------------------------------------------------------------------------------


class ScoreInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=99, help_text="The item's number on the review's scale.")
    score = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    evidence = serializers.CharField(**TEXT)
    data_sources = serializers.ListField(child=serializers.ChoiceField(DataSource.choices), required=False)


class ScoresInput(serializers.Serializer):
    scores = ScoreInput(many=True, required=False)
    version = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Your sheet's version as last read (the `Sheet-Version` header of the previous answer; empty "
        "before any score): a save over a newer one from another device is refused with 409/412.",
    )
    submit = serializers.BooleanField(
        default=False, help_text="Submit after saving: every item must be scored; the scores then stop changing."
    )
