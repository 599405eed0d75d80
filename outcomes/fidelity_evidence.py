"""Figures from the program's own records that the IPS-25 fidelity suggestions show as evidence
(diversity of job types and employers, competitive jobs, follow-along, community-based services)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from benchmarks.models import BenchmarkSettings
from clients.models import Contact, ContactPlace, ContactWith
from jobs.models import FollowAlongSupport, JobStart

from .common import Programs, current_benchmarks, shifted
from .periods import Period, Rate
from .querysets import job_starts, jobs_of_active_clients


def all_job_starts(programs: Programs, period: Period) -> QuerySet[JobStart]:
    """All jobs, competitive or not, of active clients started in the period: the drill-down of
    job_type_diversity, employer_diversity and competitive_share."""
    return jobs_of_active_clients(programs, period, None).filter(
        start_date__gte=period.start, start_date__lte=period.end
    )


def job_type_diversity(programs: Programs, period: Period) -> Rate:
    """Distinct occupation groups (blank ones not counted) / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(
        groups=Count("occupation_group", distinct=True, filter=~Q(occupation_group="")), starts=Count("pk")
    )
    return Rate(row["groups"], row["starts"])


def employer_diversity(programs: Programs, period: Period) -> Rate:
    """Distinct employers / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(employers=Count("employer", distinct=True), starts=Count("pk"))
    return Rate(row["employers"], row["starts"])


def competitive_share(programs: Programs, period: Period) -> Rate:
    """Competitive job starts / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(
        competitive=Count("pk", filter=Q(is_competitive=True)), starts=Count("pk")
    )
    return Rate(row["competitive"], row["starts"])


def job_starts_with_follow_up(
    programs: Programs, period: Period, days: int | None = None, benchmarks: BenchmarkSettings | None = None
) -> QuerySet[JobStart]:
    """`job_starts` annotated with `followed_up`: a follow-along support for the job, or a contact
    with the client (Contact.with_whom = client), dated from the start date to `days` (default
    BenchmarkSettings.job_start_followup_days) days after it. Two queries to evaluate."""
    within = days if days is not None else current_benchmarks(benchmarks).job_start_followup_days
    starts = job_starts(programs, period)
    start_dates = sorted(set(starts.order_by().values_list("start_date", flat=True)))
    deadline = shifted("start_date", start_dates, lambda day: day + datetime.timedelta(days=within))
    support = FollowAlongSupport.objects.filter(
        job=OuterRef("pk"), support_date__gte=OuterRef("start_date"), support_date__lte=OuterRef("_deadline")
    )
    contact = Contact.objects.filter(
        client=OuterRef("client"),
        with_whom=ContactWith.CLIENT,
        contact_date__gte=OuterRef("start_date"),
        contact_date__lte=OuterRef("_deadline"),
    )
    return starts.alias(_deadline=deadline).annotate(followed_up=Exists(support) | Exists(contact))


def follow_along_within(
    programs: Programs, period: Period, days: int | None = None, benchmarks: BenchmarkSettings | None = None
) -> Rate:
    """Competitive job starts in the period followed up within `days` (see
    `job_starts_with_follow_up`) / competitive job starts in the period. Two queries."""
    row = job_starts_with_follow_up(programs, period, days, benchmarks).aggregate(
        followed=Count("pk", filter=Q(followed_up=True)), starts=Count("pk")
    )
    return Rate(row["followed"], row["starts"])


def client_contacts(programs: Programs, period: Period) -> QuerySet[Contact]:
    """Contacts (the contact log) with the programs' clients dated in the period."""
    return Contact.objects.filter(
        client__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end
    )


def community_share(programs: Programs, period: Period) -> Rate:
    """Minutes of client contacts in the community / minutes of all client contacts dated in the
    period (contacts with no minutes are left out)."""
    row = (
        client_contacts(programs, period)
        .filter(minutes__isnull=False)
        .aggregate(community=Sum("minutes", filter=Q(place=ContactPlace.COMMUNITY)), total=Sum("minutes"))
    )
    return Rate(row["community"] or 0, row["total"] or 0)
