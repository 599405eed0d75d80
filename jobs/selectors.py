"""Reads for the jobs pages: every function takes already-scoped querysets or scopes itself,
and runs a bounded number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from programs.access import Actor, Capability, programs_for, scope
from programs.models import Program, User

from .models import Employer, EmployerContact, JobStart, normalize_employer_name


def employers_for(user: Actor, capability: str = Capability.VIEW_AGGREGATES) -> QuerySet[Employer]:
    return scope(Employer.objects.select_related("program"), user, capability)


def search_employers(employers: QuerySet[Employer], q: str | None) -> QuerySet[Employer]:
    """Employers whose name contains `q`, or whose normalised name contains q's normalised form
    ('The Corner Bakery, Inc.' is found by 'corner bakery' and by 'Corner Bakery LLC')."""
    q = (q or "").strip()
    if not q:
        return employers
    condition = Q(name__icontains=q)
    normalized = normalize_employer_name(q)
    if normalized:
        condition |= Q(normalized_name__contains=normalized)
    return employers.filter(condition)


def _count_per_employer(model: type[EmployerContact | JobStart], aggregate: Any) -> Subquery:
    """A correlated subquery: one figure per employer row, without multiplying joins."""
    rows = model._default_manager.filter(employer=OuterRef("pk")).order_by().values("employer")
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


def employer_list(employers: QuerySet[Employer]) -> QuerySet[Employer]:
    """Employers with their contact and job counts and the last contact date (one query)."""
    return employers.annotate(
        contact_count=Coalesce(_count_per_employer(EmployerContact, Count("pk")), 0),
        last_contact=_count_per_employer(EmployerContact, Max("contact_date")),
        job_count=Coalesce(_count_per_employer(JobStart, Count("pk")), 0),
    ).order_by("name", "pk")


def exact_match(employers: QuerySet[Employer], q: str | None) -> Employer | None:
    """The employer whose normalised name is exactly q's, if any (to warn before adding)."""
    normalized = normalize_employer_name(q or "")
    return employers.filter(normalized_name=normalized).first() if normalized else None


@dataclass(frozen=True)
class EmployerJobSummary:
    jobs: int
    current: int
    competitive: int
    clients: int
    first_start: datetime.date | None
    average_hours: float | None
    average_wage: float | None


def employer_job_summary(employer: Employer) -> EmployerJobSummary:
    """Aggregates of the jobs held with an employer (no names: safe for every viewer)."""
    row = employer.job_starts.aggregate(
        jobs=Count("pk"),
        current=Count("pk", filter=Q(end_date__isnull=True)),
        competitive=Count("pk", filter=Q(is_competitive=True)),
        clients=Count("client", distinct=True),
        first_start=Min("start_date"),
        average_hours=Avg("hours_per_week"),
        average_wage=Avg("hourly_wage"),
    )
    return EmployerJobSummary(**row)


def employer_jobs(employer: Employer) -> QuerySet[JobStart]:
    return employer.job_starts.select_related("client").order_by("-start_date", "-pk")


def employer_contacts(employer: Employer) -> QuerySet[EmployerContact]:
    return employer.contacts.select_related("specialist").prefetch_related("clients").order_by("-contact_date", "-pk")


def single_program(user: Actor, capability: str = Capability.EDIT_CLIENTS) -> Program | None:
    """The user's program when there is exactly one (most staff), else None."""
    programs = list(programs_for(user, capability)[:2])
    return programs[0] if len(programs) == 1 else None


def week_start(day: datetime.date) -> datetime.date:
    """Monday of the week containing `day`."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekCount:
    start: datetime.date
    total: int
    face_to_face: int
    target: int

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.face_to_face)

    @property
    def met(self) -> bool:
        return self.face_to_face >= self.target


def weekly_employer_contacts(
    specialist: User,
    *,
    target: int,
    weeks: int = 9,
    as_of: datetime.date | None = None,
    contacts: QuerySet[EmployerContact] | None = None,
) -> list[WeekCount]:
    """The specialist's employer contacts per week (Monday to Sunday), newest week first.

    The week containing `as_of` (default today) and the `weeks - 1` before it, each with its
    total and face-to-face count: one grouped query (TruncWeek in the database), and weeks
    without contacts are present with zeros. `contacts` is an already scoped EmployerContact
    queryset (default: all).
    """
    as_of = as_of or timezone.localdate()
    current = week_start(as_of)
    first = current - datetime.timedelta(weeks=weeks - 1)
    contacts = EmployerContact.objects.all() if contacts is None else contacts
    rows = (
        contacts.filter(
            specialist=specialist, contact_date__gte=first, contact_date__lte=current + datetime.timedelta(days=6)
        )
        .annotate(week=TruncWeek("contact_date"))
        .values("week")
        .annotate(total=Count("pk"), face_to_face=Count("pk", filter=Q(face_to_face=True)))
        .order_by()
    )
    by_week: dict[datetime.date, tuple[int, int]] = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime.datetime):
            week = week.date()
        by_week[week] = (row["total"], row["face_to_face"])
    result = []
    for n in range(weeks):
        start = current - datetime.timedelta(weeks=n)
        total, face_to_face = by_week.get(start, (0, 0))
        result.append(WeekCount(start, total, face_to_face, target))
    return result


def contacts_between(
    specialist: User,
    start: datetime.date,
    end: datetime.date,
    contacts: QuerySet[EmployerContact] | None = None,
) -> QuerySet[EmployerContact]:
    contacts = EmployerContact.objects.all() if contacts is None else contacts
    return (
        contacts.filter(specialist=specialist, contact_date__gte=start, contact_date__lte=end)
        .select_related("employer")
        .prefetch_related("clients")
        .order_by("-contact_date", "-created_at")
    )


def contacts_by_week(
    specialist: User, weeks: list[WeekCount], contacts: QuerySet[EmployerContact] | None = None
) -> list[tuple[WeekCount, list[EmployerContact]]]:
    """The specialist's contacts in each of `weeks` (newest first), with one query: on a Monday the
    contacts of last week are still there to correct."""
    if not weeks:
        return []
    logged = list(contacts_between(specialist, min(w.start for w in weeks), max(w.end for w in weeks), contacts))
    return [(week, [c for c in logged if week.start <= c.contact_date <= week.end]) for week in weeks]


def recent_employers(specialist: User, employers: QuerySet[Employer], limit: int = 6) -> list[Employer]:
    """The employers this specialist contacted most recently, for one-tap choices (one query)."""
    return list(
        employers.filter(contacts__specialist=specialist)
        .annotate(last=Max("contacts__contact_date"))
        .order_by("-last", "name")[:limit]
    )
