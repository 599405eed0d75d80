"""Data quality: the records left out of (or weakening) the figures, listed so that nothing is
dropped silently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from clients.models import Contact, Enrollment
from jobs.models import JobStart

from .common import Programs
from .periods import Period


@dataclass
class DataQuality:
    """Records left out of (or weakening) the figures, so nothing is dropped silently."""

    enrollments_missing_dates: QuerySet[Enrollment]
    jobs_missing_fields: QuerySet[JobStart]
    contacts_missing_mode: QuerySet[Contact]

    def as_dict(self) -> dict[str, Any]:
        data = {}
        for name in ("enrollments_missing_dates", "jobs_missing_fields", "contacts_missing_mode"):
            ids = list(getattr(self, name).order_by("pk").values_list("pk", flat=True))
            data[name] = {"count": len(ids), "ids": ids}
        return data


def data_quality(programs: Programs, period: Period) -> DataQuality:
    """- enrollments_missing_dates: episodes with no enrollment date that touch the period
      (referred on or before its last day, not closed before its first). They are not in the
      caseload; pending referrals are listed too, for staff to check.
    - jobs_missing_fields: jobs (any kind) held in the period with no hours or no occupation group.
    - contacts_missing_mode: client contacts dated in the period with no mode."""
    enrollments = Enrollment.objects.filter(
        client__program__in=programs, enrollment_date__isnull=True, referral_date__lte=period.end
    ).filter(Q(closure_date__isnull=True) | Q(closure_date__gte=period.start))
    jobs = (
        JobStart.objects.filter(client__program__in=programs)
        .held_between(period.start, period.end)
        .filter(Q(hours_per_week__isnull=True) | Q(occupation_group=""))
    )
    contacts = Contact.objects.filter(
        client__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end, mode=""
    )
    return DataQuality(enrollments, jobs, contacts)
