"""A quarter's figures for many programs at once, each measure computed once over all of them and
grouped by program (and by program and specialist): the quarter close's program reports and the
regional view.

Every function here gives, for each program, exactly what the per-program function of
`outcomes.metrics` gives for that program alone (`outcomes`, `outcomes_by_specialist`,
`employment_rate_trend`, `cohort_rate`), with the same definitions: it calls them, or the querysets
behind them, over the whole set of programs and splits the rows by program. A number of queries that
does not depend on the number of programs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet

from benchmarks.models import BenchmarkSettings
from clients.models import Enrollment
from programs.models import Program, User
from programs.selectors import specialist_memberships_between

from .cohort import CohortRate, cohort_enrollments
from .common import ALL_ACTIVE, OUT_OF_WORK, Programs, checked_denominator, current_benchmarks, period_as_of, today_or
from .periods import Period, Rate, add_months
from .querysets import active_clients, active_enrollments, job_starts, working_clients
from .summaries import Outcomes, counted_period, outcomes_by_specialist


@dataclass(frozen=True)
class Employment:
    """The employment figures of one program (or a region) for a period: `outcomes`'s active_caseload,
    working, employment_rate (with its denominator) and job_starts, and nothing else."""

    active_caseload: int = 0
    working: int = 0
    employment_rate: Rate = Rate(0, 0)
    job_starts: int = 0


def program_ids(programs: Programs) -> list[int]:
    """The ids of `programs` (a queryset, Programs or ids), sorted."""
    if isinstance(programs, QuerySet):
        return sorted(programs.order_by().values_list("pk", flat=True))
    return sorted({p.pk if isinstance(p, Model) else int(p) for p in programs})


def _count_by_program(qs: QuerySet[Any], program_path: str) -> dict[int, int]:
    """{program id: rows of `qs`}: one grouped query."""
    rows = qs.order_by().values(program_path).annotate(n=Count("pk"))
    return {row[program_path]: row["n"] for row in rows}


def _rates_by_program(ids: list[int], period: Period, denominator: str) -> tuple[dict[int, int], dict[int, int]]:
    """({program: active clients}, {program: working clients}) counted over `denominator`'s clients."""
    restricted = denominator if denominator == OUT_OF_WORK else None
    active = _count_by_program(active_clients(ids, period, denominator=restricted), "program")
    working = _count_by_program(working_clients(ids, period, denominator=restricted), "program")
    return active, working


def employment_by_program(
    programs: Programs,
    period: Period,
    *,
    denominator: str | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
    with_starts: bool = True,
) -> dict[int, Employment]:
    """{program id: Employment} for every program of `programs` (zeros for an empty one): the
    active_caseload, working, employment_rate and job_starts of `outcomes` for that program alone
    (same as-of rule: a running period is cut at `as_of`, default `period_as_of`). Three queries
    (five with the out-of-work denominator); `with_starts=False` leaves job_starts 0, one query less."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    counted = counted_period(period, as_of or period_as_of(period, benchmarks=bench))
    ids = program_ids(programs)
    active, working = _rates_by_program(ids, counted, ALL_ACTIVE)
    rate_of = _rates_by_program(ids, counted, checked) if checked == OUT_OF_WORK else (active, working)
    starts = _count_by_program(job_starts(ids, counted), "client__program") if with_starts else {}
    return {
        pk: Employment(
            active_caseload=active.get(pk, 0),
            working=working.get(pk, 0),
            employment_rate=Rate(rate_of[1].get(pk, 0), rate_of[0].get(pk, 0)),
            job_starts=starts.get(pk, 0),
        )
        for pk in ids
    }


def combined(figures: Iterable[Employment]) -> Employment:
    """The figures of several programs together. Sums are exact: every client, and so every job, belongs
    to one program, so no client is counted twice."""
    rows = list(figures)
    return Employment(
        active_caseload=sum(r.active_caseload for r in rows),
        working=sum(r.working for r in rows),
        employment_rate=Rate(
            sum(r.employment_rate.numerator for r in rows), sum(r.employment_rate.denominator for r in rows)
        ),
        job_starts=sum(r.job_starts for r in rows),
    )


def employment_rate_trend_by_program(
    programs: Programs,
    period: Period,
    n: int = 8,
    *,
    denominator: str | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[int, list[tuple[Period, Rate]]]:
    """{program id: `employment_rate_trend(program, period, n)`}: each of the `n` quarters ending with
    `period` read whole, as that function does. Two queries per quarter."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    ids = program_ids(programs)
    trend: dict[int, list[tuple[Period, Rate]]] = {pk: [] for pk in ids}
    for each in period.quarters_back(n):
        active, working = _rates_by_program(ids, each, checked)
        for pk in ids:
            trend[pk].append((each, Rate(working.get(pk, 0), active.get(pk, 0))))
    return trend


def cohort_rate_by_program(
    programs: Programs,
    cohort_period: Period,
    *,
    months: int | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[int, CohortRate]:
    """{program id: `cohort_rate(program, cohort_period, ...)`}, the cohort counted by program from one
    `cohort_enrollments` over all of them (a client belongs to one program). Two queries."""
    bench = current_benchmarks(benchmarks)
    follow_up = months if months is not None else bench.cumulative_months
    until = today_or(as_of)
    ids = program_ids(programs)
    rows = (
        cohort_enrollments(ids, cohort_period, months=follow_up, as_of=until, benchmarks=bench)
        .order_by()
        .values("client__program")
        .annotate(
            clients=Count("client", distinct=True),
            started=Count("client", distinct=True, filter=Q(started_job=True)),
        )
    )
    counts: dict[int, tuple[int, int]] = {row["client__program"]: (row["started"], row["clients"]) for row in rows}
    complete = until >= add_months(cohort_period.end, follow_up)
    return {
        pk: CohortRate(
            rate=Rate(*counts.get(pk, (0, 0))),
            months=follow_up,
            follow_up_complete=complete,
        )
        for pk in ids
    }


def _people_by_program(ids: list[int], period: Period) -> dict[int, set[int]]:
    """{program: users who can have a row of its by-specialist figures in `period`}: its specialists in
    force, and the specialists of its clients' active episodes (a superset of the attributed ones)."""
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    members = specialist_memberships_between(ids, period.start, period.end).order_by().values_list("program", "user")
    episodes: QuerySet[Enrollment] = active_enrollments(ids, period).filter(specialist__isnull=False)
    for program, user in [*members, *episodes.order_by().values_list("client__program", "specialist").distinct()]:
        people[program].add(user)
    return people


def _batches(people: dict[int, set[int]]) -> list[list[int]]:
    """Programs in groups that share no person (first fit, by id): within a group every specialist's
    figures are one program's. Programs whose staff never cross make one group."""
    batches: list[tuple[list[int], set[int]]] = []
    for pk in sorted(people):
        for members, seen in batches:
            if not people[pk] & seen:
                members.append(pk)
                seen |= people[pk]
                break
        else:
            batches.append(([pk], set(people[pk])))
    return [members for members, _seen in batches]


def outcomes_by_program_and_specialist(
    programs: Programs,
    period: Period,
    *,
    denominator: str | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[int, list[tuple[User, Outcomes]]]:
    """{program id: `outcomes_by_specialist(program, period, ...)`} for every program of `programs`.

    `outcomes_by_specialist` is run over groups of programs that share no specialist (nor a specialist
    of a client's episode): a specialist's row then counts one program's clients, contacts and
    memberships, as for that program alone. Programs a specialist moved between in the period are
    computed in separate groups. Two queries, then `outcomes_by_specialist`'s per group (one group
    when staff do not cross programs)."""
    bench = current_benchmarks(benchmarks)
    ids = program_ids(programs)
    people = _people_by_program(ids, period)
    result: dict[int, list[tuple[User, Outcomes]]] = {pk: [] for pk in ids}
    for batch in _batches(people):
        owner = {user: pk for pk in batch for user in people[pk]}  # one program each, within a batch
        qs = Program.objects.filter(pk__in=batch)
        for user, figures in outcomes_by_specialist(qs, period, denominator=denominator, as_of=as_of, benchmarks=bench):
            result[owner[user.pk]].append((user, figures))
    return result
