"""What a dispatch sends to the broker: a roll-up alone; program reports of a quarter in chunks of
settings.REPORT_CHUNK_SIZE, one task each, whose figures are computed together
(reports/quarterly/batches.py). The tasks are registered under these names by reports/quarterly/tasks.py."""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.conf import settings

from reports.models import QuarterlyReport

CHUNK_TASK = "reports.generate_program_reports"


def task_for(report: QuarterlyReport) -> Any:
    """The Celery task generating `report` alone."""
    name = "reports.generate_region_report" if report.region_id else "reports.generate_program_report"
    return current_app.tasks[name]


def messages(rows: list[QuarterlyReport]) -> list[list[QuarterlyReport]]:
    """The reports of each message, in the order of `rows`' roll-ups then quarters."""
    size = max(settings.REPORT_CHUNK_SIZE, 1)
    by_quarter: dict[tuple[int, int], list[QuarterlyReport]] = {}
    sent: list[list[QuarterlyReport]] = []
    for report in rows:
        if report.region_id:
            sent.append([report])
        else:
            by_quarter.setdefault((report.year, report.quarter), []).append(report)
    for group in by_quarter.values():
        sent += [group[i : i + size] for i in range(0, len(group), size)]
    return sent


def task_and_args(claimed: list[QuarterlyReport]) -> tuple[Any, list[Any]]:
    """(task, args) of one message: one report goes to its own task, several program reports to one
    chunk task."""
    if len(claimed) == 1:
        return task_for(claimed[0]), [claimed[0].pk]
    return current_app.tasks[CHUNK_TASK], [[r.pk for r in claimed]]
