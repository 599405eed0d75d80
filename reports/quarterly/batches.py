"""Program reports generated together: a quarter close sends its program reports in chunks of
settings.REPORT_CHUNK_SIZE, one task each, and a chunk's figures are computed once for all its
programs (`snapshots.build_program_snapshots`, `outcomes.quarter`) instead of ~35 queries per program.

Each report keeps the life of `services.run_report`: marked running (one attempt more), then done with
its snapshot, or failed with its own error; a done report never changes, so a chunk delivered twice, or
a report also sent alone, leaves one snapshot. The rows stay the outbox: the reaper and
`dispatch_pending` work on them one by one, whatever chunk they were sent in.
"""

from __future__ import annotations

import datetime
import functools
import logging
import operator
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import RuleViolation
from reports.models import QuarterlyReport, ReportStatus

from . import notifications, services, snapshots
from .outbox import on_commit_robust

logger = logging.getLogger(__name__)

Snapshot = tuple[dict[str, Any], dict[str, Any], str]


def chunks(ids: Iterable[int], size: int) -> list[list[int]]:
    items = list(ids)
    size = max(size, 1)
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_reports(report_ids: Iterable[int], today: datetime.date | None = None) -> list[tuple[int, str | None]]:
    """Generate the reports `report_ids` once each: the program reports together, a roll-up (if any)
    alone. Database errors propagate (the task retries the chunk: done reports are skipped); any other
    error fails only the reports whose own snapshot fails. Returns [(report id, status)]."""
    ids = sorted(set(report_ids))
    statuses: dict[int, str | None] = dict.fromkeys(ids)
    rollups = set(QuarterlyReport.objects.filter(pk__in=ids, region__isnull=False).values_list("pk", flat=True))
    running, others = _start(ids, rollups)
    statuses.update(others)
    if running:
        built = _build(running, today)
        statuses.update((pk, ReportStatus.FAILED) for pk in {r.pk for r in running} - set(built))
        statuses.update(_finish(built))
    for pk in sorted(rollups):
        statuses[pk] = services.run_report(pk, today=today)
    return sorted(statuses.items())


def _start(ids: list[int], rollups: set[int]) -> tuple[list[QuarterlyReport], dict[int, str]]:
    """Mark the program reports running (as `services._start` does, in one transaction). Returns
    (the running reports, {id: status} of those left as they were: done ones)."""
    running, others = [], {}
    with transaction.atomic():
        rows = QuarterlyReport.objects.select_for_update().filter(pk__in=ids).exclude(pk__in=rollups).order_by("pk")
        for report in rows:
            if report.status == ReportStatus.DONE:
                others[report.pk] = report.status
            else:
                running.append(report)
        QuarterlyReport.objects.filter(pk__in=[r.pk for r in running]).update(
            status=ReportStatus.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(), error=""
        )
    missing = set(ids) - rollups - {r.pk for r in running} - set(others)
    for pk in sorted(missing):
        logger.warning("Quarterly report %s does not exist (deleted?)", pk)
    return running, others


def _build(running: list[QuarterlyReport], today: datetime.date | None) -> dict[int, Snapshot]:
    """The snapshots of the running reports, together; if that fails on something other than the
    database, each alone, so that one program's error fails its report only."""
    try:
        return snapshots.build_program_snapshots(running, today=today)
    except Exception as exc:
        if services.is_database_error(exc):
            raise
        logger.warning("Quarterly reports %s: generating together failed (%s); one by one", running, exc)
    built = {}
    for report in running:
        try:
            built[report.pk] = snapshots.build_snapshot(report, today=today)
        except Exception as exc:
            if services.is_database_error(exc):
                raise
            logger.exception("Quarterly report %s failed", report.pk)
            services.mark_failed(report.pk, exc)
    return built


def _finish(built: dict[int, Snapshot]) -> dict[int, str]:
    """Save each snapshot and mark its report done (as `services._finish` does, in one transaction): a
    report a duplicate delivery finished first keeps its snapshot. Older versions still waiting are
    superseded; after commit the "report ready" e-mails go and the roll-ups are released."""
    statuses: dict[int, str] = {}
    done: list[QuarterlyReport] = []
    with transaction.atomic():
        for report in QuarterlyReport.objects.select_for_update().filter(pk__in=list(built)).order_by("pk"):
            statuses[report.pk] = ReportStatus.DONE
            if report.status == ReportStatus.DONE:
                continue
            data, benchmarks, definition_version = built[report.pk]
            # An UPDATE per row within the one transaction: each row was checked not done under its lock
            # above (what save()'s guard checks); one bulk UPDATE of large JSON values is slower.
            QuarterlyReport.objects.filter(pk=report.pk).update(
                data=data,
                benchmarks=benchmarks,
                definition_version=definition_version,
                status=ReportStatus.DONE,
                error="",
                finished_at=timezone.now(),
            )
            done.append(report)
        _release_older(done)
        if done:
            on_commit_robust(notifications.notify_reports_ready, [r.pk for r in done])
        for rollup in sorted({r.rollup_id for r in done if r.rollup_id}):
            on_commit_robust(services.dispatch_reports, [rollup])
    return statuses


def _release_older(done: list[QuarterlyReport]) -> None:
    """`services._release_older` for every report just done, in one query."""
    if not done:
        return
    older = functools.reduce(
        operator.or_,
        (Q(program_id=r.program_id, year=r.year, quarter=r.quarter, version__lt=r.version) for r in done),
    )
    newest = {(r.program_id, r.year, r.quarter): r for r in done}
    waiting = QuarterlyReport.objects.filter(older, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])
    for pk, program, year, quarter in waiting.order_by("pk").values_list("pk", "program_id", "year", "quarter"):
        report = newest[(program, year, quarter)]
        services.mark_failed(pk, RuleViolation(f"superseded by version {report.version} (report #{report.pk})"))
