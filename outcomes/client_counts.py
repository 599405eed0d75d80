"""The client counts of a period (active, working, both over clients out of work at enrollment, in
education, open at the period's end), for one period or for several in one query.

Scope drives the query: the rows are the scoped programs' attributed episodes (one per active client,
`attributed_episodes`), and each fact about a client is an EXISTS correlated on that client, answered
by the client's index entries in jobs, education and enrollments. Nothing reads other programs' rows,
so the cost follows the programs asked for, not the size of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Value

from clients.models import Enrollment
from jobs.models import JobStart

from .common import GroupKey, Programs, Row, Specialists, attributed_episodes, specialist_ids
from .periods import Period
from .querysets import education_between

# The flags each active client is counted by (Python sums the flag combinations; see `_sum_flags`).
FLAGS = ("_working", "_in_education", "_open_at_end", "employed_at_enrollment")
COUNTS = ("active", "working", "active_oow", "working_oow", "in_education", "caseload_at_end")


def _fact(flag: str, period: Period) -> Exists:
    """The fact `flag` names about the client of the episode row, an EXISTS on the client's own rows."""
    client = OuterRef("client")
    if flag == "_working":
        return Exists(JobStart.objects.competitive().held_between(period.start, period.end).filter(client=client))
    if flag == "_in_education":
        return Exists(education_between(period).filter(client=client))
    open_at_end = Enrollment.objects.filter(client=client, enrollment_date__isnull=False)
    return Exists(open_at_end.active_between(period.end, period.end))


def _flagged(
    programs: Programs, period: Period, specialists: Specialists, flags: Sequence[str] = FLAGS
) -> QuerySet[Enrollment]:
    """The attributed episodes of the programs' active clients with a boolean per fact in `flags`
    (evaluated once per client, not once per count; employed_at_enrollment is a column)."""
    qs = attributed_episodes(period).filter(client__program__in=programs)
    ids = specialist_ids(specialists)
    if ids is not None:
        qs = qs.filter(specialist__in=ids)
    return qs.order_by().annotate(**{flag: _fact(flag, period) for flag in flags if flag.startswith("_")})


def _sum_flags(rows: Sequence[dict[str, Any]]) -> Row:
    """The counts from rows of (flags..., n): one row per combination of flags."""
    totals = dict.fromkeys(COUNTS, 0)
    for row in rows:
        n, oow, working = row["n"], not row["employed_at_enrollment"], row["_working"]
        totals["active"] += n
        totals["working"] += n if working else 0
        totals["active_oow"] += n if oow else 0
        totals["working_oow"] += n if oow and working else 0
        totals["in_education"] += n if row.get("_in_education") else 0
        totals["caseload_at_end"] += n if row.get("_open_at_end") else 0
    return totals


def client_figures(
    programs: Programs, period: Period, specialists: Specialists, key: Any = None
) -> dict[GroupKey, Row]:
    """{group key: counts} over the active clients (each once, by their attributed episode), grouped
    by `key` (an expression on the episode, e.g. F("client__program") or F("specialist"); None: one
    group, always present). One query."""
    qs = _flagged(programs, period, specialists)
    if key is not None:
        qs = qs.annotate(_group=key)
    group = ("_group",) if key is not None else ()
    rows = qs.values(*group, *FLAGS).annotate(n=Count("pk"))
    by_group: dict[GroupKey, list[dict[str, Any]]] = {} if key is not None else {None: []}
    for row in rows:
        by_group.setdefault(row.pop("_group", None), []).append(row)
    return {group_key: _sum_flags(group_rows) for group_key, group_rows in by_group.items()}


RATE_FLAGS = ("_working", "employed_at_enrollment")


def rates_by_period(programs: Programs, periods: Sequence[Period], specialists: Specialists) -> list[Row]:
    """[counts] of each period, in order: active, working, active_oow and working_oow as
    `client_figures` counts them (the employment rate's sides), from one query: one scoped part per
    period, joined by UNION ALL."""
    if not periods:
        return []
    parts = [
        _flagged(programs, period, specialists, RATE_FLAGS)
        .annotate(_period=Value(i))
        .values("_period", *RATE_FLAGS)
        .annotate(n=Count("pk"))
        .order_by()
        for i, period in enumerate(periods)
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    by_period: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(periods))}
    for row in rows:
        by_period[row["_period"]].append(row)
    return [_sum_flags(by_period[i]) for i in range(len(periods))]
