"""Career profiles, work history, employment plans and their steps."""

from __future__ import annotations

from rest_framework import serializers

from clients.models import CareerProfile, EmploymentPlan, PlanStep, WorkHistoryEntry

from .common import Versioned

STAMPS = ["created_at", "updated_at", "version"]


class CareerProfileSerializer(Versioned):
    class Meta:
        model = CareerProfile
        fields = [
            "id",
            "client",
            "work_goals",
            "education_and_licences",
            "skills_and_strengths",
            "preferred_job_types",
            "preferred_hours",
            "preferred_setting",
            "preferred_location",
            "current_adjustment",
            "transportation",
            "benefits_summary",
            "support_network",
            "disclosure_preferences",
            "last_reviewed",
            *STAMPS,
        ]


class WorkHistorySerializer(Versioned):
    client = serializers.IntegerField(source="profile.client_id", read_only=True)

    class Meta:
        model = WorkHistoryEntry
        fields = [
            "id",
            "client",
            "profile",
            "employer_name",
            "job_title",
            "start_date",
            "end_date",
            "duties",
            "liked",
            "disliked",
            "reason_left",
            *STAMPS,
        ]


class EmploymentPlanSerializer(Versioned):
    class Meta:
        model = EmploymentPlan
        fields = ["id", "client", "goal", "start_date", "review_date", "is_current", *STAMPS]


class PlanStepSerializer(Versioned):
    class Meta:
        model = PlanStep
        fields = ["id", "plan", "description", "responsible", "target_date", "completed_on", "position", *STAMPS]
