"""Quarterly report snapshots: requests, dispatch to Celery, generation, quarter close, e-mail.

The life of a report:

1. `request_program_report` / `request_region_report` write a QuarterlyReport row (status
   queued, `dispatched_at` null) and register its dispatch with `transaction.on_commit`.
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

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from benchmarks.models import BenchmarkSettings
from outcomes.periods import Period
from programs.models import Membership, Program, Region, Role
from reports.models import (
    FINISHED_STATUSES,
    QuarterClose,
    QuarterlyReport,
    ReportStatus,
    ReportTrigger,
)

from . import snapshots

logger = logging.getLogger(__name__)

# What a broker that is down, refusing or too slow raises while we publish.
BROKER_ERRORS = (KombuError, RedisError, OSError)
# A row claimed for dispatch but still queued after this long is sent again.
STALE_DISPATCH = timezone.timedelta(minutes=15)
ERROR_MAX_LENGTH = 2000


class ReportRequestError(ValueError):
    """A report that cannot be requested (e.g. a quarter that has not ended)."""


# ----------------------------------------------------------------------------------------------
# Periods
# ----------------------------------------------------------------------------------------------
def parse_quarter(code, today=None):
    """The quarter `code` ("2026Q3") names; it must have ended (reports are of closed quarters)."""
    try:
        period = Period.parse(code)
    except ValueError as exc:
        raise ReportRequestError(str(exc)) from exc
    if period.q is None:
        raise ReportRequestError(f"{code!r} is not a quarter (expected e.g. 2026Q3).")
    if period.end >= (today or timezone.localdate()):
        raise ReportRequestError(f"{period.label} has not ended yet.")
    return period


def last_closed_quarter(today=None):
    today = today or timezone.localdate()
    return Period.quarter_containing(today).previous()


def recent_quarters(n=8, today=None):
    """The last `n` ended quarters, newest first (the choices of the request form)."""
    return last_closed_quarter(today).quarters_back(n)[::-1]


# ----------------------------------------------------------------------------------------------
# Requests (the outbox rows)
# ----------------------------------------------------------------------------------------------
def _pending(qs):
    return qs.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).order_by("-version").first()


def _next_version(qs):
    return (qs.aggregate(v=Max("version"))["v"] or 0) + 1


def request_report(target, period, *, user=None, trigger=ReportTrigger.ON_DEMAND):
    """A report for a Program or a Region (see the two functions below)."""
    if isinstance(target, Region):
        return request_region_report(target, period, user=user, trigger=trigger)
    return request_program_report(target, period, user=user, trigger=trigger)


def export_filename(report, extension):
    scope = report.program.code if report.program_id else f"region-{report.region.code}"
    return f"quarterly-{scope}-{report.code}-v{report.version}.{extension}"


def request_program_report(program, period, *, user=None, trigger=ReportTrigger.ON_DEMAND, rollup=None):
    """A new version of `program`'s report for `period`, dispatched after commit.

    On demand, a report of the same program and quarter that is still queued or running is
    returned instead of a second one (double clicks). Returns (report, created)."""
    return _request(Program, program, "program", period, user=user, trigger=trigger, extra={"rollup": rollup})


def request_region_report(region, period, *, user=None, trigger=ReportTrigger.ON_DEMAND, dispatch=True):
    """A new version of `region`'s roll-up for `period`. Returns (report, created)."""
    return _request(Region, region, "region", period, user=user, trigger=trigger, dispatch=dispatch)


def _request(model, target, field, period, *, user, trigger, extra=None, dispatch=True):
    for _attempt in range(3):
        try:
            with transaction.atomic():
                # Lock the program/region row: version numbers are handed out one at a time.
                model.objects.select_for_update().filter(pk=target.pk).first()
                same = QuarterlyReport.objects.filter(**{field: target}, year=period.year, quarter=period.q)
                if trigger == ReportTrigger.ON_DEMAND and (pending := _pending(same)):
                    return pending, False
                report = QuarterlyReport.objects.create(
                    **{field: target},
                    year=period.year,
                    quarter=period.q,
                    version=_next_version(same),
                    trigger=trigger,
                    requested_by=user if getattr(user, "is_authenticated", False) else None,
                    **(extra or {}),
                )
                if dispatch:
                    dispatch_on_commit([report.pk])
                return report, True
        except IntegrityError:
            continue  # another request took this version number at the same moment
    raise ReportRequestError("Could not allocate a report version; try again.")


def dispatch_on_commit(report_ids):
    """Send the reports' tasks once the current transaction commits (never before: the worker
    must see the rows). `robust`: a failure here is logged, never a 500 for the user."""
    transaction.on_commit(partial(dispatch_reports, list(report_ids)), robust=True)


# ----------------------------------------------------------------------------------------------
# Dispatch
# ----------------------------------------------------------------------------------------------
def _task_for(report):
    from . import tasks

    return tasks.generate_region_report if report.region_id else tasks.generate_program_report


def _waiting_for_programs():
    """Region roll-ups whose program reports are not all finished yet."""
    return Exists(QuarterlyReport.objects.filter(rollup=OuterRef("pk")).exclude(status__in=FINISHED_STATUSES))


def dispatch_reports(report_ids, *, stale_before=None):
    """Claim and send each queued, undispatched report; stop at the first broker failure (the rest
    stay queued for `dispatch_pending`). Returns the number of reports sent."""
    from .tasks import app

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
        for report in rows:
            if _claim(report, stale_before):
                result = _task_for(report).apply(args=[report.pk], throw=False)
                QuarterlyReport.objects.filter(pk=report.pk).update(task_id=result.id or "")
                sent += 1
        return sent
    sent = 0
    try:
        with app.connection_for_write() as connection:
            for report in rows:
                claimed_at = _claim(report, stale_before)
                if not claimed_at:
                    continue
                try:
                    result = _task_for(report).apply_async(
                        args=[report.pk],
                        connection=connection,
                        retry=False,  # bounded: the outbox retries, not the web request
                        queue=app.conf.task_default_queue,
                    )
                except BROKER_ERRORS:
                    QuarterlyReport.objects.filter(pk=report.pk, dispatched_at=claimed_at).update(dispatched_at=None)
                    raise
                QuarterlyReport.objects.filter(pk=report.pk).update(task_id=result.id)
                sent += 1
    except BROKER_ERRORS as exc:
        logger.warning(
            "Broker unavailable (%s): %d report(s) stay queued for dispatch_pending_reports",
            type(exc).__name__,
            len(rows) - sent,
        )
    return sent


def _undispatched(stale_before):
    condition = Q(dispatched_at__isnull=True)
    if stale_before is not None:
        condition |= Q(dispatched_at__lt=stale_before)
    return condition


def _claim(report, stale_before):
    """Mark the row dispatched unless someone else did; the time claimed, or None."""
    now = timezone.now()
    claimed = (
        QuarterlyReport.objects.filter(pk=report.pk, status=ReportStatus.QUEUED)
        .filter(_undispatched(stale_before))
        .update(dispatched_at=now)
    )
    return now if claimed else None


def pending_reports(stale_after=STALE_DISPATCH):
    """Queued reports the broker has not taken (or took so long ago they must have been lost)."""
    return (
        QuarterlyReport.objects.filter(status=ReportStatus.QUEUED)
        .filter(_undispatched(timezone.now() - stale_after))
        .exclude(_waiting_for_programs())
    )


def dispatch_pending(limit=1000):
    """Send the pending reports (beat task and management command). Returns (sent, still pending)."""
    stale_before = timezone.now() - STALE_DISPATCH
    ids = list(pending_reports().order_by("pk").values_list("pk", flat=True)[:limit])
    sent = dispatch_reports(ids, stale_before=stale_before) if ids else 0
    return sent, pending_reports().count()


# ----------------------------------------------------------------------------------------------
# Generation (called by the Celery tasks, or in process with --sync / eager mode)
# ----------------------------------------------------------------------------------------------
def run_report(report_id, today=None):
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


def is_database_error(exc):
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def _start(report_id):
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


def _finish(report_id, data, benchmarks, definition_version):
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
    return ReportStatus.DONE


def mark_failed(report_id, exc):
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


def retry_report(report):
    """Queue a failed report again (same version) and dispatch it after commit."""
    with transaction.atomic():
        updated = QuarterlyReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.QUEUED, dispatched_at=None, finished_at=None
        )
        if updated:
            dispatch_on_commit([report.pk])
    return bool(updated)


def _after_finish(report):
    """After commit: e-mail when done; a quarter-close program report may release its roll-up."""
    if report.status == ReportStatus.DONE:
        transaction.on_commit(partial(notify_report_ready, report.pk), robust=True)
    if report.rollup_id:
        transaction.on_commit(partial(dispatch_reports, [report.rollup_id]), robust=True)


# ----------------------------------------------------------------------------------------------
# Quarter close
# ----------------------------------------------------------------------------------------------
def close_quarter(period, *, force=False, user=None, trigger=ReportTrigger.QUARTER_CLOSE, regions=None):
    """Fan out over every active program of every region (or `regions`) for `period`: one new
    program report each, then the region roll-up once they are all finished.

    Idempotent: each region's close is recorded once (QuarterClose); calling again does nothing
    for a region already closed, unless `force` (an operator regenerating). Returns the roll-ups."""
    regions = regions if regions is not None else Region.objects.filter(agencies__programs__is_active=True)
    rollups = []
    for region in regions.distinct().order_by("pk"):
        rollup = _close_region(region, period, force=force, user=user, trigger=trigger)
        if rollup is not None:
            rollups.append(rollup)
    return rollups


def _close_region(region, period, *, force, user, trigger):
    with transaction.atomic():
        close, created = QuarterClose.objects.get_or_create(region=region, year=period.year, quarter=period.q)
        if not created and not force:
            return None
        rollup, _ = request_region_report(region, period, user=user, trigger=trigger, dispatch=False)
        programs = list(Program.objects.filter(agency__region=region, is_active=True).order_by("pk"))
        versions = dict(
            QuarterlyReport.objects.filter(program__in=programs, year=period.year, quarter=period.q)
            .order_by()
            .values("program")
            .annotate(v=Max("version"))
            .values_list("program", "v")
        )
        requested_by = user if getattr(user, "is_authenticated", False) else None
        reports = QuarterlyReport.objects.bulk_create(
            QuarterlyReport(
                program=program,
                year=period.year,
                quarter=period.q,
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


def close_day(period_after, bench):
    """The day the quarter before `period_after` is closed: `report_day_after_quarter` of the
    first month after it ends."""
    return period_after.start.replace(day=bench.report_day_after_quarter)


def check_quarter_close(today=None):
    """The daily beat task: from `report_day_after_quarter` of the month after a quarter ends,
    close that quarter. On or after the day rather than only on it, so a day when beat was down
    is caught up the next day; the close itself is idempotent (QuarterClose), so the later daily
    runs of the quarter do nothing. Returns the roll-ups created, or None before the day."""
    today = today or timezone.localdate()
    bench = BenchmarkSettings.current()
    current = Period.quarter_containing(today, bench.quarter_start_month)
    if today < close_day(current, bench):
        return None
    return close_quarter(current.previous())


# ----------------------------------------------------------------------------------------------
# E-mail
# ----------------------------------------------------------------------------------------------
def report_recipients(report):
    """Program report: the program's active supervisors; region roll-up: the region's trainers."""
    if report.program_id:
        memberships = Membership.objects.filter(program_id=report.program_id, role=Role.SUPERVISOR)
    else:
        memberships = Membership.objects.filter(region_id=report.region_id, role=Role.TRAINER)
    emails = (
        memberships.filter(is_active=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return list(emails)


def notify_report_ready(report_id):
    """E-mail the recipients once that the report is done. Aggregates only: no client names."""
    report = QuarterlyReport.objects.select_related("program", "region").get(pk=report_id)
    if report.status != ReportStatus.DONE or report.notified_at is not None:
        return 0
    recipients = report_recipients(report)
    if recipients:
        context = {
            "report": report,
            "data": report.data,
            "url": settings.SITE_URL.rstrip("/") + reverse("reports:quarterly_detail", args=[report.pk]),
        }
        subject = render_to_string("reports/quarterly/email/report_ready_subject.txt", context).strip()
        body = render_to_string("reports/quarterly/email/report_ready.txt", context)
        send_mail(subject, body, None, recipients)
    QuarterlyReport.objects.filter(pk=report_id).update(notified_at=timezone.now())
    return len(recipients)
