"""What a write accepts. Related records are given by id and looked up through the access layer by
the view (another program's id is a 404, like a page), then the domain's service decides."""

from __future__ import annotations

from rest_framework import serializers

from clients.models import ContactMode, ContactPlace, ContactWith
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
    is_competitive = serializers.BooleanField(required=False)
    job_type = serializers.ChoiceField(JobType.choices, required=False)
    disclosure = serializers.ChoiceField(Disclosure.choices, required=False)
    benefits_discussed = serializers.BooleanField(required=False)
    version = serializers.CharField(required=False, help_text="Or send it as If-Match.")
