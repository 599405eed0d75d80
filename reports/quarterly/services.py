"""Quarterly report snapshots: requests, dispatch to Celery, generation, quarter close, e-mail.

The life of a report:

1. `request_program_report` / `request_region_report` write a QuarterlyReport row (status
   queued, `dispatched_at` null) and register its dispatch with `transaction.on_commit`; a
   person's request (web, API, Retry) hands it to a background thread (`outbox.py`), so the
   response never waits for the broker.
2. `dispatch_reports` claims the row (sets `dispatched_at`) and sends the task to the broker with
   bounded timeouts. A broker that is down or slow leaves the row queued with `dispatched_at`
   null; `dispatch_pending` (beat every few minutes, `manage.py dispatch_pending_reports`) sends
   it again later. Rows claimed long ago and still queued (a process died between claim and
   send) are sent again too: generation is idempotent.
3. `run_report` (called by the tasks) marks the row running, builds the snapshot from
   `outcomes.metrics` and marks it done, or failed with the error. A done row never changes;
   regenerating creates version N+1.
4. When a program report of a quarter close finishes, the region roll-up is dispatched once all
   the region's program reports are finished (a chord kept in the database: no result backend).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation
from outcomes.periods import Period
from programs.models import Program, Region, User
from reports.models import (
    FINISHED_STATUSES,
    QuarterlyReport,
    ReportStatus,
    ReportTrigger,
)

from . import messages, notifications, outbox, selectors, snapshots
from .messages import task_for as _task_for  # noqa: F401 (the tests send a report alone)
from .outbox import on_commit_robust as on_commit_robust
from .periods import last_closed_quarter as last_closed_quarter
from .periods import parse_quarter as parse_quarter
from .periods import recent_quarters as recent_quarters
from .periods import require_data as require_data
from .periods import require_ended as require_ended

logger = logging.getLogger(__name__)

# What a broker that is down, refusing or too slow raises while we publish.
BROKER_ERRORS = (KombuError, RedisError, OSError)
# A row claimed for dispatch but still queued after this long is sent again (its message was lost:
# a worker killed with Redis restarted, a purged queue); beat looks every five minutes.
STALE_DISPATCH = datetime.timedelta(minutes=5)
# A report running longer than the task's hard time limit (plus a retry's backoff) has no live
# task: its worker died, or its task gave up. The reaper requeues it, then fails it.
STUCK_RUNNING = datetime.timedelta(seconds=settings.REPORT_TASK_TIME_LIMIT + 300)
MAX_ATTEMPTS = 3
NO_WAIT = datetime.timedelta(0)
ERROR_MAX_LENGTH = 2000
DB_ERRORS = (OperationalError, InterfaceError)


# ----------------------------------------------------------------------------------------------
# Requests (the outbox rows)
# ----------------------------------------------------------------------------------------------
def stuck(now: datetime.datetime | None = None) -> Q:
    """Reports no task is working on: running past the limit, or sent long ago and never started."""
    now = now or timezone.now()
    running = Q(status=ReportStatus.RUNNING, started_at__lt=now - STUCK_RUNNING)
    return running | Q(status=ReportStatus.QUEUED, dispatched_at__lt=now - STALE_DISPATCH)


def is_stuck(report: QuarterlyReport, now: datetime.datetime | None = None) -> bool:
    """`stuck()` for one loaded report (its Retry button), without a query."""
    now = now or timezone.now()
    if report.status == ReportStatus.RUNNING:
        return report.started_at is not None and report.started_at < now - STUCK_RUNNING
    if report.status == ReportStatus.QUEUED:
        return report.dispatched_at is not None and report.dispatched_at < now - STALE_DISPATCH
    return False


def _pending(qs: QuerySet[QuarterlyReport]) -> QuarterlyReport | None:
    """The version still being made (a stuck one does not count: a new request replaces it)."""
    active = qs.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).exclude(stuck())
    return active.order_by("-version").first()


def _next_version(qs: QuerySet[QuarterlyReport]) -> int:
    latest: int | None = qs.aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def quarter_of(period: Period) -> int:
    if period.q is None:
        raise RuleViolation(f"{period.label} is not a quarter.")
    return period.q


def requester_of(user: User | None) -> User | None:
    """The user recorded as `requested_by` (None for the scheduler and operators)."""
    return user if user is not None and user.is_authenticated else None


def _require_reach(target: Program | Region, user: User | None) -> None:
    """A user may request reports only of the programs and regions they see (404 otherwise, as the
    views answer); without a user the scheduler or an operator acts."""
    if user is None:
        return
    reachable = (
        selectors.report_regions_for(user) if isinstance(target, Region) else selectors.report_programs_for(user)
    )
    if not reachable.filter(pk=target.pk).exists():
        raise Http404("No such program or region.")


def request_report(
    target: Program | Region,
    period: Period,
    *,
    user: User | None = None,
    trigger: str = ReportTrigger.ON_DEMAND,
) -> tuple[QuarterlyReport, bool]:
    """A report for a Program or a Region (see the two functions below)."""
    if isinstance(target, Region):
        return request_region_report(target, period, user=user, trigger=trigger)
    return request_program_report(target, period, user=user, trigger=trigger)


def export_filename(report: QuarterlyReport, extension: str) -> str:
    scope = report.program.code if report.program else f"region-{report.region.code if report.region else ''}"
    return f"quarterly-{scope}-{report.code}-v{report.version}.{extension}"


def request_program_report(
    program: Program,
    period: Period,
    *,
    user: User | None = None,
    trigger: str = ReportTrigger.ON_DEMAND,
    rollup: QuarterlyReport | None = None,
) -> tuple[QuarterlyReport, bool]:
    """A new version of `program`'s report for `period`, dispatched after commit.

    On demand, a report of the same program and quarter that is still queued or running is
    returned instead of a second one (double clicks). Returns (report, created)."""
    return _request(program, "program", period, user=user, trigger=trigger, extra={"rollup": rollup})


def request_region_report(
    region: Region,
    period: Period,
    *,
    user: User | None = None,
    trigger: str = ReportTrigger.ON_DEMAND,
    dispatch: bool = True,
) -> tuple[QuarterlyReport, bool]:
    """A new version of `region`'s roll-up for `period`. Returns (report, created)."""
    return _request(region, "region", period, user=user, trigger=trigger, dispatch=dispatch)


def _request(
    target: Program | Region,
    field: str,
    period: Period,
    *,
    user: User | None,
    trigger: str,
    extra: dict[str, Any] | None = None,
    dispatch: bool = True,
) -> tuple[QuarterlyReport, bool]:
    _require_reach(target, user)
    model, quarter = type(target), quarter_of(period)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                # Lock the program/region row: version numbers are handed out one at a time.
                model.objects.select_for_update().filter(pk=target.pk).first()
                same = QuarterlyReport.objects.filter(**{field: target}, year=period.year, quarter=quarter)
                if trigger == ReportTrigger.ON_DEMAND and (pending := _pending(same)):
                    return pending, False
                report = QuarterlyReport.objects.create(
                    **{field: target},
                    year=period.year,
                    quarter=quarter,
                    version=_next_version(same),
                    trigger=trigger,
                    requested_by=requester_of(user),
                    **(extra or {}),
                )
                if user is not None:  # audited in the same transaction: no report without its entry
                    record(
                        None, Action.CREATE, report, user=user, detail={"report": report.pk, "version": report.version}
                    )
                if dispatch:  # a person's request (web, API) must not wait for the broker
                    dispatch_on_commit([report.pk], background=user is not None)
                return report, True
        except IntegrityError:
            continue  # another request took this version number at the same moment
    raise RuleViolation("Could not allocate a report version; try again.")


def dispatch_on_commit(report_ids: Iterable[int], *, background: bool = False) -> None:
    """Send the reports' tasks once the current transaction commits (never before: the worker
    must see the rows). Robust: a failure here is logged, never a 500 for the user. `background`
    (a web request): the send happens in a daemon thread, the response does not wait for the broker."""
    ids = list(report_ids)
    on_commit_robust(_dispatch_in_background if background else dispatch_reports, ids)


def _dispatch_in_background(report_ids: list[int]) -> None:
    if current_app.conf.task_always_eager or not outbox.sees_committed_rows():
        dispatch_reports(report_ids)  # embedded mode, or rows another connection cannot see yet
    else:
        outbox.in_background(dispatch_reports, report_ids)


# ----------------------------------------------------------------------------------------------
# Dispatch
# ----------------------------------------------------------------------------------------------
def _waiting_for_programs() -> Exists:
    """Region roll-ups whose program reports are not all finished yet."""
    return Exists(QuarterlyReport.objects.filter(rollup=OuterRef("pk")).exclude(status__in=FINISHED_STATUSES))


def dispatch_reports(report_ids: Iterable[int], *, stale_before: datetime.datetime | None = None) -> int:
    """Claim and send each queued, undispatched report (program reports of a quarter in chunks of
    settings.REPORT_CHUNK_SIZE, one task each: `messages`); stop at the first broker failure (the rest
    stay queued for `dispatch_pending`). Returns the number of reports sent."""
    app = current_app
    rows = list(
        QuarterlyReport.objects.filter(pk__in=report_ids, status=ReportStatus.QUEUED)
        .filter(_undispatched(stale_before))
        .exclude(_waiting_for_programs())
        .order_by("pk")
    )
    if not rows:
        return 0
    if app.conf.task_always_eager:
        # Embedded mode: tasks run in this process, now; a retry runs again at once and a
        # final error is recorded on the report (throw=False), never raised into the request.
        sent = 0
        for chunk in messages.messages(rows):
            if claim := _claim(chunk, stale_before):
                task, args = messages.task_and_args(claim[1])
                result = task.apply(args=args, throw=False)
                QuarterlyReport.objects.filter(pk__in=[r.pk for r in claim[1]]).update(task_id=result.id or "")
                sent += len(claim[1])
        return sent
    sent = 0
    try:
        with app.connection_for_write() as connection:
            for chunk in messages.messages(rows):
                claim = _claim(chunk, stale_before)
                if claim is None:
                    continue
                claimed_at, claimed = claim
                ids = [r.pk for r in claimed]
                task, args = messages.task_and_args(claimed)
                try:
                    result = task.apply_async(
                        args=args,
                        connection=connection,
                        retry=False,  # bounded: the outbox retries, not the web request
                        queue=app.conf.task_default_queue,
                    )
                except BROKER_ERRORS:
                    QuarterlyReport.objects.filter(pk__in=ids, dispatched_at=claimed_at).update(dispatched_at=None)
                    raise
                QuarterlyReport.objects.filter(pk__in=ids).update(task_id=result.id)
                sent += len(ids)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Broker unavailable (%s): %d report(s) stay queued for dispatch_pending_reports",
            type(exc).__name__,
            len(rows) - sent,
        )
    return sent


def _undispatched(stale_before: datetime.datetime | None) -> Q:
    condition = Q(dispatched_at__isnull=True)
    if stale_before is not None:
        condition |= Q(dispatched_at__lt=stale_before)
    return condition


def _claim(
    reports: list[QuarterlyReport], stale_before: datetime.datetime | None
) -> tuple[datetime.datetime, list[QuarterlyReport]] | None:
    """Mark the rows dispatched unless someone else did: (the time claimed, the reports claimed), or None."""
    now = timezone.now()
    ids = [r.pk for r in reports]
    rows = QuarterlyReport.objects.filter(pk__in=ids, status=ReportStatus.QUEUED).filter(_undispatched(stale_before))
    claimed = rows.update(dispatched_at=now)
    if not claimed:
        return None
    if claimed < len(ids):  # another dispatcher took some of them
        mine = set(QuarterlyReport.objects.filter(pk__in=ids, dispatched_at=now).values_list("pk", flat=True))
        reports = [r for r in reports if r.pk in mine]
    return now, reports


def pending_reports(stale_after: datetime.timedelta = STALE_DISPATCH) -> QuerySet[QuarterlyReport]:
    """Queued reports the broker has not taken (or took so long ago they must have been lost)."""
    return (
        QuarterlyReport.objects.filter(status=ReportStatus.QUEUED)
        .filter(_undispatched(timezone.now() - stale_after))
        .exclude(_waiting_for_programs())
    )


def reap_stuck_reports(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Requeue each report running past its limit (no task works on it any more: its worker was
    killed, or its task gave up on the database), or fail it with the reason after MAX_ATTEMPTS.
    Queued reports whose message was lost are re-sent by `dispatch_pending`. Returns (requeued,
    failed)."""
    now = now or timezone.now()
    running = QuarterlyReport.objects.filter(stuck(now), status=ReportStatus.RUNNING)
    requeued = failed = 0
    found: list[tuple[QuarterlyReport, str]] = []  # (report, what the reaper did), for the admins' e-mail
    for report in running.order_by("pk"):
        if report.attempts >= MAX_ATTEMPTS:
            minutes = int(STUCK_RUNNING.total_seconds() // 60)
            error = TimeoutError(
                f"stuck running for more than {minutes} minutes after {report.attempts} attempt(s) "
                "(worker lost or database unavailable); use Retry or regenerate"
            )
            logger.error("Quarterly report %s failed: %s", report.pk, error)
            mark_failed(report.pk, error)
            failed += 1
            found.append((report, "failed"))
        elif QuarterlyReport.objects.filter(stuck(now), pk=report.pk, status=ReportStatus.RUNNING).update(
            status=ReportStatus.QUEUED, dispatched_at=None
        ):
            logger.warning("Quarterly report %s stuck running since %s: requeued", report.pk, report.started_at)
            requeued += 1
            found.append((report, "requeued"))
    notifications.alert_admins_of_stuck(found)
    return requeued, failed


def dispatch_pending(limit: int = 1000, stale_after: datetime.timedelta = STALE_DISPATCH) -> tuple[int, int]:
    """Send the pending reports (beat task and management command). Returns (sent, still pending)."""
    stale_before = timezone.now() - stale_after
    ids = list(pending_reports(stale_after).order_by("pk").values_list("pk", flat=True)[:limit])
    sent = dispatch_reports(ids, stale_before=stale_before) if ids else 0
    return sent, pending_reports().count()


# ----------------------------------------------------------------------------------------------
# Generation (called by the Celery tasks, or in process with --sync / eager mode)
# ----------------------------------------------------------------------------------------------
def run_report(report_id: int, today: datetime.date | None = None) -> str | None:
    """Generate report `report_id` once. Idempotent: a done report is left as it is; two
    deliveries of the same task leave one snapshot. Database errors propagate (the task retries
    with backoff); any other error marks the report failed with the error. Returns the status."""
    report = _start(report_id)
    if report is None:
        return None
    if report.status == ReportStatus.QUEUED:
        return report.status  # a roll-up still waiting for its programs
    if report.status != ReportStatus.RUNNING:
        return report.status
    try:
        data, benchmarks, definition_version = snapshots.build_snapshot(report, today=today)
    except Exception as exc:
        if is_database_error(exc):
            raise
        logger.exception("Quarterly report %s failed", report_id)
        mark_failed(report_id, exc)
        return ReportStatus.FAILED
    return _finish(report_id, data, benchmarks, definition_version)


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, DB_ERRORS)


def _start(report_id: int) -> QuarterlyReport | None:
    with transaction.atomic():
        report = QuarterlyReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            logger.warning("Quarterly report %s does not exist (deleted?)", report_id)
            return None
        if report.status == ReportStatus.DONE:
            return report
        if report.region_id and report.program_reports.exclude(status__in=FINISHED_STATUSES).exists():
            # Not all programs are finished: release the claim; the last program dispatches it.
            report.dispatched_at = None
            report.save(update_fields=["dispatched_at"])
            return report
        report.status = ReportStatus.RUNNING
        report.attempts += 1
        report.started_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "attempts", "started_at", "error"])
        return report


def _finish(report_id: int, data: dict[str, Any], benchmarks: dict[str, Any], definition_version: str) -> str:
    with transaction.atomic():
        report = QuarterlyReport.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.DONE:
            return report.status  # a duplicate delivery finished first: keep that snapshot
        report.data = data
        report.benchmarks = benchmarks
        report.definition_version = definition_version
        report.status = ReportStatus.DONE
        report.error = ""
        report.finished_at = timezone.now()
        report.save()
        _after_finish(report)
        _release_older(report)
    return ReportStatus.DONE


def _release_older(report: QuarterlyReport) -> None:
    """A newer version is done: older versions still queued or running (a request waiting on a
    stuck row) are finished as superseded, so nothing waits on them any more."""
    field = "region" if report.region_id else "program"
    older = QuarterlyReport.objects.filter(
        **{f"{field}_id": getattr(report, f"{field}_id")}, year=report.year, quarter=report.quarter
    ).filter(version__lt=report.version, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])
    for pk in older.values_list("pk", flat=True):
        mark_failed(pk, RuleViolation(f"superseded by version {report.version} (report #{report.pk})"))


def mark_failed(report_id: int, exc: BaseException) -> None:
    """Record the error on the report (status failed), unless it is already done."""
    text = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
    with transaction.atomic():
        report = QuarterlyReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.DONE:
            return
        report.status = ReportStatus.FAILED
        report.error = text
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        _after_finish(report)


def retry_report(report: QuarterlyReport, *, user: User) -> None:
    """Queue a failed or stuck report again (same version) and dispatch it after commit."""
    if not selectors.visible_reports(user).filter(pk=report.pk).exists():
        raise Http404("No such report.")
    with transaction.atomic():
        updated = (
            QuarterlyReport.objects.filter(pk=report.pk)
            .filter(Q(status=ReportStatus.FAILED) | stuck())
            .update(status=ReportStatus.QUEUED, dispatched_at=None, finished_at=None)
        )
        if not updated:
            raise RuleViolation("Only a failed or stuck report can be retried.")
        record(None, Action.UPDATE, report, user=user, detail={"retry": report.pk})
        dispatch_on_commit([report.pk], background=True)


def _after_finish(report: QuarterlyReport) -> None:
    """After commit: e-mail when done; a quarter-close program report may release its roll-up."""
    if report.status == ReportStatus.DONE:
        on_commit_robust(notifications.notify_report_ready, report.pk)
    if report.rollup_id:
        on_commit_robust(dispatch_reports, [report.rollup_id])
