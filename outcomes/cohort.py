"""The cumulative (cohort) employment rate: of the clients enrolled in one period, the share who
started a competitive job within the follow-up months, judged against the trials' ~60%."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from benchmarks.models import BenchmarkSettings
from clients.models import Enrollment
from jobs.models import JobStart

from .common import Programs, current_benchmarks, shifted, today_or
from .periods import Period, Rate, add_months


@dataclass(frozen=True)
class CohortRate:
    rate: Rate
    months: int
    follow_up_complete: bool

    def as_dict(self) -> dict[str, Any]:
        return {"rate": self.rate.as_dict(), "months": self.months, "follow_up_complete": self.follow_up_complete}


def cohort_enrollments(
    programs: Programs,
    cohort_period: Period,
    *,
    months: int | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> QuerySet[Enrollment]:
    """Episodes with an enrollment date in `cohort_period`, annotated with `started_job`: the
    client started a competitive job on or after that enrollment date and within `months`
    (default BenchmarkSettings.cumulative_months) calendar months of it (31 Jan + 1 month =
    28/29 Feb), counting only jobs started by `as_of` (default today). The drill-down of
    `cohort_rate`. Two queries (the cohort's enrollment dates, then the rows)."""
    bench = current_benchmarks(benchmarks)
    follow_up = months if months is not None else bench.cumulative_months
    until = today_or(as_of)
    cohort = Enrollment.objects.filter(
        client__program__in=programs,
        enrollment_date__gte=cohort_period.start,
        enrollment_date__lte=cohort_period.end,
    )
    dates = sorted({day for day in cohort.order_by().values_list("enrollment_date", flat=True) if day is not None})
    deadline = shifted("enrollment_date", dates, lambda day: min(add_months(day, follow_up), until))
    started = JobStart.objects.competitive().filter(
        client=OuterRef("client"), start_date__gte=OuterRef("enrollment_date"), start_date__lte=OuterRef("_deadline")
    )
    return cohort.alias(_deadline=deadline).annotate(started_job=Exists(started))


def cohort_rate(
    programs: Programs,
    cohort_period: Period,
    *,
    months: int | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> CohortRate:
    """Cumulative rate: of the clients with an enrollment date in `cohort_period` (each once, even
    if enrolled twice in it), the share who started a competitive job within `months` of an
    enrollment date (see `cohort_enrollments`). follow_up_complete is True once as_of >= the
    cohort period's end + months; before that the rate is provisional. Compare with
    BenchmarkSettings.cumulative_rate (~60%), not with the quarterly rate. Two queries."""
    bench = current_benchmarks(benchmarks)
    follow_up = months if months is not None else bench.cumulative_months
    until = today_or(as_of)
    row = cohort_enrollments(programs, cohort_period, months=follow_up, as_of=until, benchmarks=bench).aggregate(
        clients=Count("client", distinct=True),
        started=Count("client", distinct=True, filter=Q(started_job=True)),
    )
    return CohortRate(
        rate=Rate(row["started"], row["clients"]),
        months=follow_up,
        follow_up_complete=until >= add_months(cohort_period.end, follow_up),
    )
