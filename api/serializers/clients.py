"""Clients, their episodes, contacts and benefits-counseling sessions."""

from __future__ import annotations

from rest_framework import serializers

from clients.models import BenefitsCounselingSession, Client, Contact, Enrollment

from .common import Versioned


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
