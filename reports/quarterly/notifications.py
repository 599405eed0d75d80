"""E-mail when a quarterly report is ready: to the program's supervisors, or the region's trainers for a
roll-up. Aggregates only: no client names."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outcomes.measures import measure
from programs.models import Membership, Role
from reports.models import QuarterlyReport, ReportStatus


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
        context = {
            "report": report,
            "data": report.data,
            "rate_label": measure("employment_rate").label,
            "url": settings.SITE_URL.rstrip("/") + reverse("reports:quarterly_detail", args=[report.pk]),
        }
        subject = render_to_string("reports/quarterly/email/report_ready_subject.txt", context).strip()
        body = render_to_string("reports/quarterly/email/report_ready.txt", context)
        send_mail(subject, body, None, recipients)
    QuarterlyReport.objects.filter(pk=report_id).update(notified_at=timezone.now())
    return len(recipients)
