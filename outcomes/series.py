"""Job starts over a run of periods (the dashboard's months) in one grouped query.

Each period counts exactly the jobs of `querysets.job_starts` / `querysets.first_job_starts` for that
period (their drill-downs): the job's period is the one containing its start date, and the client
must be active in that period (attributed to `specialists` in it, when given). The rows are the
scoped programs' clients' jobs, found by index, never a scan of the whole jobs table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Case, Count, DateField, Exists, IntegerField, OuterRef, Q, Subquery, Value, When

from clients.models import Enrollment
from jobs.models import JobStart

from .common import Programs, Specialists, specialist_ids
from .periods import Period
from .querysets import FIRST_IN_EPISODE, with_first_in_episode


def _by_period(periods: Sequence[Period], value: str) -> Case:
    """For a job, the index / first day / last day (`value`) of the period its start date is in."""
    whens = []
    for i, period in enumerate(periods):
        then = Value(i) if value == "index" else Value(period.start if value == "first" else period.end)
        whens.append(When(start_date__gte=period.start, start_date__lte=period.end, then=then))
    output = IntegerField() if value == "index" else DateField()
    return Case(*whens, default=Value(None), output_field=output)


def job_starts_by_period(
    programs: Programs, periods: Sequence[Period], specialists: Specialists = None
) -> dict[str, tuple[int, int]]:
    """{period code: (job starts, first job starts)} for `periods` (which must not overlap): the jobs
    `job_starts(programs, period, specialists)` lists, and those of them `first_job_starts` lists.
    One query."""
    ordered = sorted(periods, key=lambda p: p.start)
    if any(later.start <= earlier.end for earlier, later in zip(ordered, ordered[1:], strict=False)):
        raise ValueError("The periods overlap.")
    counts = {p.code: (0, 0) for p in periods}
    if not ordered:
        return counts
    in_periods = Q()
    for period in ordered:
        in_periods |= Q(start_date__gte=period.start, start_date__lte=period.end)
    jobs = with_first_in_episode(JobStart.objects.competitive().filter(in_periods, client__program__in=programs))
    jobs = jobs.annotate(
        _period=_by_period(ordered, "index"), _first=_by_period(ordered, "first"), _last=_by_period(ordered, "last")
    )
    # The client's episodes active in the job's period (enrolled by its last day, not closed before its first).
    active = Enrollment.objects.filter(
        client=OuterRef("client"), enrollment_date__isnull=False, enrollment_date__lte=OuterRef("_last")
    ).filter(Q(closure_date__isnull=True) | Q(closure_date__gte=OuterRef("_first")))
    ids = specialist_ids(specialists)
    if ids is None:
        jobs = jobs.filter(Exists(active))
    else:
        # Attributed as `common.attributed_episodes`: the latest active episode, by enrollment date then id.
        latest = Subquery(active.order_by("-enrollment_date", "-pk").values("specialist")[:1])
        jobs = jobs.annotate(_specialist=latest).filter(_specialist__in=ids)
    rows = jobs.order_by().values("_period").annotate(starts=Count("pk"), firsts=Count("pk", filter=FIRST_IN_EPISODE))
    for row in rows:
        counts[ordered[row["_period"]].code] = (row["starts"], row["firsts"])
    return counts
