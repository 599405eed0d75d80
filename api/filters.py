"""Filters for incremental sync and everyday questions: dates, program, specialist, updated since."""

from __future__ import annotations

import datetime

import django_filters as df
from django import forms
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from clients.models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    Contact,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)
from fidelity.models import FidelityReview
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart
from reports.models import QuarterlyReport

# Related records are filtered by id, not by a choice among every row of the table: an id of another
# program's record simply matches nothing (a "not a valid choice" error would confirm it exists).
MAX_ID = 2**31 - 1  # larger numbers are no record's id (and overflow SQLite's integers)


class IdFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


BY_ID = {
    **FILTER_FOR_DBFIELD_DEFAULTS,
    models.ForeignKey: {"filter_class": IdFilter},
    models.ManyToManyField: {"filter_class": IdFilter},
    models.AutoField: {"filter_class": IdFilter},
    models.PositiveSmallIntegerField: {"filter_class": IdFilter},
}


class ById(df.FilterSet):
    FILTER_DEFAULTS = BY_ID


class UtcIsoDateTimeField(df.fields.IsoDateTimeField):
    """An ISO 8601 date-time turned into UTC: PostgreSQL refuses offsets beyond ±15:59 (any offset parses)."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Enter a date and time between the years 1 and 9999.") from exc


class UtcIsoDateTimeFilter(df.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class Synced(ById):
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", label="Changed at or after")


class ClientFilter(Synced):
    specialist = IdFilter(field_name="enrollments__specialist", distinct=True, label="Specialist (any episode)")
    open = df.BooleanFilter(method="filter_open", label="Has an open enrollment")

    class Meta:
        model = Client
        fields = ["program", "record_number"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.with_open_enrollment() if value else queryset.exclude(enrollments__closure_date__isnull=True)


class EnrollmentFilter(Synced):
    program = IdFilter(field_name="client__program")
    enrolled_from = df.DateFilter(field_name="enrollment_date", lookup_expr="gte")
    enrolled_to = df.DateFilter(field_name="enrollment_date", lookup_expr="lte")
    open = df.BooleanFilter(field_name="closure_date", lookup_expr="isnull")

    class Meta:
        model = Enrollment
        fields = ["client", "specialist"]


class ContactFilter(Synced):
    program = IdFilter(field_name="client__program")
    date_from = df.DateFilter(field_name="contact_date", lookup_expr="gte")
    date_to = df.DateFilter(field_name="contact_date", lookup_expr="lte")
    specialist = IdFilter(field_name="staff")

    class Meta:
        model = Contact
        fields = ["client", "with_whom", "mode"]


class EmployerFilter(Synced):
    class Meta:
        model = Employer
        fields = ["program"]


class EmployerContactFilter(Synced):
    program = IdFilter(field_name="employer__program")
    date_from = df.DateFilter(field_name="contact_date", lookup_expr="gte")
    date_to = df.DateFilter(field_name="contact_date", lookup_expr="lte")

    class Meta:
        model = EmployerContact
        fields = ["employer", "specialist", "purpose", "client_specific"]


class JobStartFilter(Synced):
    program = IdFilter(field_name="client__program")
    specialist = IdFilter(field_name="client__enrollments__specialist", distinct=True)
    started_from = df.DateFilter(field_name="start_date", lookup_expr="gte")
    started_to = df.DateFilter(field_name="start_date", lookup_expr="lte")
    ended = df.BooleanFilter(field_name="end_date", lookup_expr="isnull", exclude=True)

    class Meta:
        model = JobStart
        fields = ["client", "employer", "job_type", "is_competitive"]


class SupportFilter(Synced):
    program = IdFilter(field_name="job__client__program")
    client = IdFilter(field_name="job__client")
    date_from = df.DateFilter(field_name="support_date", lookup_expr="gte")
    date_to = df.DateFilter(field_name="support_date", lookup_expr="lte")
    specialist = IdFilter(field_name="staff")

    class Meta:
        model = FollowAlongSupport
        fields = ["job", "provider"]


class BenefitsSessionFilter(Synced):
    program = IdFilter(field_name="client__program")
    date_from = df.DateFilter(field_name="session_date", lookup_expr="gte")
    date_to = df.DateFilter(field_name="session_date", lookup_expr="lte")

    class Meta:
        model = BenefitsCounselingSession
        fields = ["client", "counselor_type"]


class QuarterlyReportFilter(ById):
    class Meta:
        model = QuarterlyReport
        fields = ["program", "region", "year", "quarter", "status"]


class CareerProfileFilter(Synced):
    program = IdFilter(field_name="client__program")
    specialist = IdFilter(field_name="client__enrollments__specialist", distinct=True)
    reviewed_from = df.DateFilter(field_name="last_reviewed", lookup_expr="gte")
    reviewed_to = df.DateFilter(field_name="last_reviewed", lookup_expr="lte")

    class Meta:
        model = CareerProfile
        fields = ["client"]


class WorkHistoryFilter(Synced):
    program = IdFilter(field_name="profile__client__program")
    specialist = IdFilter(field_name="profile__client__enrollments__specialist", distinct=True)
    client = IdFilter(field_name="profile__client")
    started_from = df.DateFilter(field_name="start_date", lookup_expr="gte")
    started_to = df.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = WorkHistoryEntry
        fields = ["profile"]


class EmploymentPlanFilter(Synced):
    program = IdFilter(field_name="client__program")
    specialist = IdFilter(field_name="client__enrollments__specialist", distinct=True)
    started_from = df.DateFilter(field_name="start_date", lookup_expr="gte")
    started_to = df.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = EmploymentPlan
        fields = ["client", "is_current"]


class PlanStepFilter(Synced):
    program = IdFilter(field_name="plan__client__program")
    specialist = IdFilter(field_name="plan__client__enrollments__specialist", distinct=True)
    client = IdFilter(field_name="plan__client")
    target_from = df.DateFilter(field_name="target_date", lookup_expr="gte")
    target_to = df.DateFilter(field_name="target_date", lookup_expr="lte")
    done = df.BooleanFilter(field_name="completed_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = PlanStep
        fields = ["plan", "responsible"]


class FidelityReviewFilter(Synced):
    visit_from = df.DateFilter(field_name="visit_start", lookup_expr="gte")
    visit_to = df.DateFilter(field_name="visit_start", lookup_expr="lte")

    class Meta:
        model = FidelityReview
        fields = ["program", "status", "review_type", "reviewer_1", "reviewer_2"]
