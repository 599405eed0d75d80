"""Employers, employer contacts, job starts and follow-along supports."""

from __future__ import annotations

from rest_framework import serializers

from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobEndType, JobStart

from .common import Versioned


class EmployerSerializer(Versioned):
    class Meta:
        model = Employer
        fields = [
            "id",
            "program",
            "name",
            "industry",
            "address",
            "phone",
            "contact_person",
            "notes",
            "created_at",
            "updated_at",
            "version",
        ]


class EmployerContactSerializer(Versioned):
    class Meta:
        model = EmployerContact
        fields = [
            "id",
            "employer",
            "specialist",
            "contact_date",
            "contact_person",
            "face_to_face",
            "client_specific",
            "made_by",
            "clients",
            "purpose",
            "outcome",
            "next_step",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["specialist", "created_at", "updated_at"]


class JobStartSerializer(Versioned):
    # Read-only, and blank while the job lasts: declared so the schema allows "".
    end_type = serializers.ChoiceField(JobEndType.choices, allow_blank=True, read_only=True)

    class Meta:
        model = JobStart
        fields = [
            "id",
            "client",
            "employer",
            "job_title",
            "occupation_group",
            "start_date",
            "hours_per_week",
            "hourly_wage",
            "is_competitive",
            "job_type",
            "disclosure",
            "benefits_discussed",
            "end_date",
            "end_type",
            "end_reason",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["end_date", "end_type", "end_reason", "created_at", "updated_at"]


class FollowAlongSupportSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowAlongSupport
        fields = [
            "id",
            "job",
            "support_date",
            "provider",
            "staff",
            "description",
            "minutes",
            "created_at",
            "updated_at",
        ]
