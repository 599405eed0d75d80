"""E-mail when a quarterly report is ready: to the program's supervisors, or the region's trainers for a
roll-up. Aggregates only: no client names."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outcomes.measures import measure
from programs.models import Membership, Role
from reports.models import QuarterlyReport, ReportStatus

logger = logging.getLogger(__name__)


def report_recipients(report: QuarterlyReport) -> list[str]:
    """Program report: the program's active supervisors; region roll-up: the region's trainers."""
    if report.program_id:
        memberships = Membership.objects.filter(program_id=report.program_id, role=Role.SUPERVISOR)
    else:
        memberships = Membership.objects.filter(region=report.region, role=Role.TRAINER)
    emails = (
        memberships.filter(is_active=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return list(emails)


def notify_report_ready(report_id: int) -> int:
    """E-mail the recipients once that the report is done. Aggregates only: no client names."""
    report = QuarterlyReport.objects.select_related("program", "region").get(pk=report_id)
    if report.status != ReportStatus.DONE or report.notified_at is not None:
        return 0
    recipients = report_recipients(report)
    if recipients:
        _send_ready(report, recipients)
    else:
        QuarterlyReport.objects.filter(pk=report_id).update(notified_at=timezone.now())
    return len(recipients)


def _send_ready(report: QuarterlyReport, recipients: list[str]) -> None:
    context = {
        "report": report,
        "data": report.data,
        "rate_label": measure("employment_rate").label,
        "url": settings.SITE_URL.rstrip("/") + reverse("reports:quarterly_detail", args=[report.pk]),
    }
    subject = render_to_string("reports/quarterly/email/report_ready_subject.txt", context).strip()
    body = render_to_string("reports/quarterly/email/report_ready.txt", context)
    send_mail(subject, body, None, recipients)
    QuarterlyReport.objects.filter(pk=report.pk).update(notified_at=timezone.now())


def notify_reports_ready(report_ids: list[int]) -> None:
    """`notify_report_ready` for a chunk's program reports: their rows and recipients in two queries; each
    e-mail is sent and marked on its own (one failing is logged and stays in the outbox, the others go),
    the reports with no recipient are marked together."""
    reports = list(
        QuarterlyReport.objects.filter(
            pk__in=report_ids, program__isnull=False, status=ReportStatus.DONE, notified_at__isnull=True
        )
        .select_related("program", "region")
        .order_by("pk")
    )
    emails: dict[int | None, list[str]] = {}
    supervisors = (
        Membership.objects.filter(program__in=[r.program_id for r in reports], role=Role.SUPERVISOR)
        .filter(is_active=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("program_id", "user__email")
        .distinct()
    )
    for program, email in supervisors:
        emails.setdefault(program, []).append(email)
    silent = [r.pk for r in reports if not emails.get(r.program_id)]
    QuarterlyReport.objects.filter(pk__in=silent).update(notified_at=timezone.now())
    for report in reports:
        if emails.get(report.program_id):
            try:
                _send_ready(report, emails[report.program_id])
            except Exception:  # SMTP down: resend_unsent tries again
                logger.exception("Report %s: the 'report ready' e-mail failed", report.pk)


# A "report ready" e-mail that failed (SMTP down) leaves notified_at empty: the outbox. Beat re-sends it,
# after the after-commit attempt had its chance, and only for recent reports (never a flood of old ones).
RESEND_AFTER = datetime.timedelta(minutes=2)
RESEND_WITHIN = datetime.timedelta(days=7)


def unsent(now: datetime.datetime | None = None) -> QuerySet[QuarterlyReport]:
    """Done reports whose e-mail has not gone out."""
    now = now or timezone.now()
    return QuarterlyReport.objects.filter(
        status=ReportStatus.DONE,
        notified_at__isnull=True,
        finished_at__lt=now - RESEND_AFTER,
        finished_at__gte=now - RESEND_WITHIN,
    )


def resend_unsent(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Send each unsent e-mail again; one failing does not stop the others. Returns (sent, failed)."""
    sent = failed = 0
    for pk in unsent(now).order_by("pk").values_list("pk", flat=True):
        try:
            notify_report_ready(pk)
        except Exception:  # SMTP down or refusing: stays in the outbox for the next run
            logger.warning("Report %s: the 'report ready' e-mail failed again", pk, exc_info=True)
            failed += 1
        else:
            sent += 1
    return sent, failed


def alert_admins_of_stuck(found: list[tuple[QuarterlyReport, str]]) -> None:
    """E-mail settings.ADMINS the reports the reaper found stuck and what it did (ids and codes only).
    A failing SMTP server is logged: the reaper's work is done either way."""
    if not found:
        return
    lines = [
        f"- report #{report.pk} ({report.code} v{report.version}, started {report.started_at:%Y-%m-%d %H:%M} UTC, "
        f"attempt {report.attempts}): {action}"
        for report, action in found
    ]
    body = (
        "The reaper found quarterly reports running past their time limit (a worker killed, or a task that "
        "gave up on the database):\n\n" + "\n".join(lines) + "\n\nRequeued reports are sent again; a failed one "
        f"can be retried from its page ({settings.SITE_URL.rstrip('/')}{reverse('reports:quarterly_list')}).\n"
    )
    try:
        mail_admins(f"{len(found)} quarterly report(s) stuck", body)
    except Exception:  # SMTP down: the log line is the alert
        logger.exception("Could not e-mail the admins about %d stuck report(s)", len(found))
