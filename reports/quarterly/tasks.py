"""Celery tasks for quarterly reports. Each takes ids (never objects) and is idempotent.

- generate_program_report(report_id) / generate_region_report(report_id): build one snapshot.
  acks_late (a killed worker's task is redelivered), retried with exponential backoff on
  database connection errors; any other error marks the report failed with the error.
- generate_program_reports(report_ids): a chunk of program reports (settings.REPORT_CHUNK_SIZE) whose
  figures are computed together (batches.py); the same retries, each report failing on its own error.
- close_quarter(year=None, quarter=None): fan out over all active programs, then the region
  roll-ups (dispatched by the last program report of each region).
- check_quarter_close(today=None): the daily beat task; closes the previous quarter on
  BenchmarkSettings.report_day_after_quarter of the month after it ended.
- dispatch_pending_reports(): beat task sending the reports a broker outage left queued.
- reap_stuck_reports(): beat task requeueing (or failing, after services.MAX_ATTEMPTS) the reports left
  running with no task (a killed worker, a task that gave up on the database), then sending them.

Every task runs under the soft/hard time limits of settings (below the broker's visibility timeout).
"""

import contextlib
import datetime
import logging
import random

from celery import shared_task
from django.conf import settings

from outcomes.periods import Period

from . import batches, closing, notifications, services

logger = logging.getLogger(__name__)

DB_ERRORS = services.DB_ERRORS
# Retries on a database error (settings REPORT_TASK_MAX_RETRIES, REPORT_TASK_RETRY_BACKOFF; by default
# 6 retries waiting up to 5, 10, 20, 40, 80, 160 s, with jitter); then the task gives up.
MAX_RETRIES = settings.REPORT_TASK_MAX_RETRIES
BACKOFF_BASE = settings.REPORT_TASK_RETRY_BACKOFF
BACKOFF_MAX = 600

__all__ = [
    "check_quarter_close",
    "close_quarter",
    "dispatch_pending_reports",
    "generate_program_report",
    "generate_program_reports",
    "generate_region_report",
    "reap_stuck_reports",
]


def backoff(retries):
    """Seconds before retry number `retries` + 1: exponential, capped, with full jitter above half."""
    ceiling = min(BACKOFF_MAX, BACKOFF_BASE * 2**retries)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _generate(task, report_id, run=services.run_report):
    """Run the report (`run(report_id)`; a list of ids for a chunk); on a database error retry with
    backoff through the broker, or (in the embedded eager mode, where nothing can wait) at once in
    process. After the last retry the reports are marked failed with the error."""
    retries = task.request.retries or 0
    while True:
        try:
            return run(report_id)
        except DB_ERRORS as exc:
            if retries >= task.max_retries:
                logger.error("Quarterly report %s: database still failing after %d retries", report_id, retries)
                # If the database is still down the row stays running: Celery drops a failed
                # task's message, so the reaper (reap_stuck_reports) requeues or fails it later.
                with contextlib.suppress(*DB_ERRORS):
                    for pk in report_id if isinstance(report_id, list) else [report_id]:
                        services.mark_failed(pk, exc)
                raise
            logger.warning("Quarterly report %s: %s, retrying", report_id, type(exc).__name__)
            if not task.request.is_eager:
                raise task.retry(exc=exc, countdown=backoff(retries)) from exc
            retries += 1


@shared_task(name="reports.generate_program_report", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def generate_program_report(self, report_id):
    return _generate(self, report_id)


@shared_task(name="reports.generate_program_reports", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def generate_program_reports(self, report_ids):
    """A chunk of program reports; returns [[report id, status], ...]."""
    return _generate(self, list(report_ids), batches.run_reports)


@shared_task(name="reports.generate_region_report", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def generate_region_report(self, report_id):
    return _generate(self, report_id)


@shared_task(name="reports.close_quarter", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def close_quarter(self, year=None, quarter=None):
    """Close quarter `year`/`quarter` (default: the last ended quarter). Returns the roll-up ids."""
    try:
        period = Period.quarter(year, quarter) if year and quarter else services.last_closed_quarter()
        return [r.pk for r in closing.close_quarter(period)]
    except DB_ERRORS as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(name="reports.check_quarter_close", bind=True, acks_late=True, max_retries=MAX_RETRIES)
def check_quarter_close(self, today=None):
    """Daily: close the previous quarter once the configured day after it ended has come (idempotent).
    `today` (ISO date) is for operators and tests; beat passes nothing."""
    try:
        day = datetime.date.fromisoformat(today) if today else None
        rollups = closing.check_quarter_close(day)
    except DB_ERRORS as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    return None if rollups is None else [r.pk for r in rollups]


@shared_task(name="reports.dispatch_pending_reports", acks_late=True)
def dispatch_pending_reports():
    """The outbox: report requests the broker did not take, and "report ready" e-mails that failed."""
    sent, pending = services.dispatch_pending()
    if sent or pending:
        logger.info("Dispatched %d pending quarterly report(s); %d still pending", sent, pending)
    mailed, mail_failed = notifications.resend_unsent()
    result = {"sent": sent, "pending": pending}
    if mailed or mail_failed:
        result.update(mailed=mailed, mail_failed=mail_failed)
    return result


@shared_task(name="reports.reap_stuck_reports", acks_late=True)
def reap_stuck_reports():
    requeued, failed = services.reap_stuck_reports()
    sent, pending = services.dispatch_pending()
    if requeued or failed or sent or pending:
        logger.info(
            "Stuck quarterly reports: %d requeued, %d failed; %d sent, %d pending", requeued, failed, sent, pending
        )
    return {"requeued": requeued, "failed": failed, "sent": sent, "pending": pending}
