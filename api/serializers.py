"""What the API shows of each record: its own fields and the ids it points to, never another
program's names. `version` is the optimistic-lock token (`core.locking.version_of`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clients.models import BenefitsCounselingSession, Client, Contact, Enrollment
from core.locking import version_of
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobEndType, JobStart
from reports.models import QuarterlyReport


class Versioned(serializers.ModelSerializer):
    version = serializers.SerializerMethodField(
        help_text="Send it back as If-Match (or `version`) to update without overwriting a newer save."
    )

    def get_version(self, obj: Any) -> str:
        return version_of(obj)


class ClientSerializer(Versioned):
    class Meta:
        model = Client
        fields = [
            "id",
            "program",
            "record_number",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "diagnosis_group",
            "education_level",
            "disclosure_preference",
            "created_at",
            "updated_at",
            "version",
        ]


class EnrollmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrollment
        fields = [
            "id",
            "client",
            "referral_date",
            "enrollment_date",
            "specialist",
            "employed_at_enrollment",
            "closure_date",
            "closure_reason",
            "created_at",
            "updated_at",
        ]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "staff",
            "contact_date",
            "with_whom",
            "mode",
            "place",
            "minutes",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["staff", "created_at", "updated_at"]


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


class BenefitsSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BenefitsCounselingSession
        fields = [
            "id",
            "client",
            "session_date",
            "counselor_name",
            "counselor_type",
            "benefits_held",
            "work_incentives_discussed",
            "written_plan_given",
            "next_review_date",
            "created_at",
            "updated_at",
        ]


class QuarterlyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "program",
            "region",
            "year",
            "quarter",
            "version",
            "status",
            "definition_version",
            "benchmarks",
            "data",
            "requested_at",
            "finished_at",
        ]
