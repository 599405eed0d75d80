"""Quarter close: one new report per active program of each region, then the region roll-up once they
are all finished (a chord kept in the database: no result backend needed)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from outcomes.periods import Period
from programs.models import Program, Region, User
from reports.models import QuarterClose, QuarterlyReport, ReportTrigger

from .services import dispatch_on_commit, quarter_of, request_region_report, requester_of, require_ended


def close_quarter(
    period: Period,
    *,
    force: bool = False,
    user: User | None = None,
    trigger: str = ReportTrigger.QUARTER_CLOSE,
    regions: QuerySet[Region] | None = None,
    today: datetime.date | None = None,
) -> list[QuarterlyReport]:
    """Fan out over every active program of every region (or `regions`) for `period`: one new
    program report each, then the region roll-up once they are all finished.

    Idempotent: each region's close is recorded once (QuarterClose); calling again does nothing
    for a region already closed, unless `force` (an operator regenerating). Returns the roll-ups."""
    require_ended(period, today)
    regions = regions if regions is not None else Region.objects.filter(agencies__programs__is_active=True)
    rollups = []
    for region in regions.distinct().order_by("pk"):
        rollup = _close_region(region, period, force=force, user=user, trigger=trigger)
        if rollup is not None:
            rollups.append(rollup)
    return rollups


def _close_region(
    region: Region, period: Period, *, force: bool, user: User | None, trigger: str
) -> QuarterlyReport | None:
    quarter = quarter_of(period)
    with transaction.atomic():
        close, created = QuarterClose.objects.get_or_create(region=region, year=period.year, quarter=quarter)
        if not created and not force:
            return None
        rollup, _ = request_region_report(region, period, user=user, trigger=trigger, dispatch=False)
        programs = list(Program.objects.filter(agency__region=region, is_active=True).order_by("pk"))
        versions = dict(
            QuarterlyReport.objects.filter(program__in=programs, year=period.year, quarter=quarter)
            .order_by()
            .values("program")
            .annotate(v=Max("version"))
            .values_list("program", "v")
        )
        requested_by = requester_of(user)
        reports = QuarterlyReport.objects.bulk_create(
            QuarterlyReport(
                program=program,
                year=period.year,
                quarter=quarter,
                version=versions.get(program.pk, 0) + 1,
                trigger=trigger,
                rollup=rollup,
                requested_by=requested_by,
            )
            for program in programs
        )
        close.rollup = rollup
        close.save(update_fields=["rollup"])
        # Programs first; the roll-up is dispatched when they are finished (at once if none).
        dispatch_on_commit([r.pk for r in reports] or [rollup.pk])
    return rollup


def close_day(period_after: Period, bench: BenchmarkSettings) -> datetime.date:
    """The day the quarter before `period_after` is closed: `report_day_after_quarter` of the
    first month after it ends."""
    return period_after.start.replace(day=bench.report_day_after_quarter)


def check_quarter_close(today: datetime.date | None = None) -> list[QuarterlyReport] | None:
    """The daily beat task: from `report_day_after_quarter` of the month after a quarter ends,
    close that quarter. On or after the day rather than only on it, so a day when beat was down
    is caught up the next day; the close itself is idempotent (QuarterClose), so the later daily
    runs of the quarter do nothing. Returns the roll-ups created, or None before the day."""
    today = today or timezone.localdate()
    bench = BenchmarkSettings.current()
    current = Period.quarter_containing(today, bench.quarter_start_month)
    if today < close_day(current, bench):
        return None
    return close_quarter(current.previous(), today=today)
