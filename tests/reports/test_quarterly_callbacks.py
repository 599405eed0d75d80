"""After-commit callbacks: a failing one is logged (Django logs it by `__qualname__`, which a
`functools.partial` lacks) and the next one still runs; a "report ready" e-mail that failed is re-sent
from the outbox by the beat job."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import notifications, services, tasks

pytestmark = pytest.mark.django_db


def test_a_failing_robust_callback_is_logged_and_the_next_one_runs(django_capture_on_commit_callbacks, caplog):
    ran = []

    def smtp_down(report_id):
        raise ConnectionRefusedError("smtp down")

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.on_commit_robust(smtp_down, 41)
        services.on_commit_robust(ran.append, 42)
    assert ran == [42]
    failure = next(r for r in caplog.records if "on_commit()" in r.getMessage())
    assert "smtp_down(41,)" in failure.getMessage()
    assert failure.exc_info and failure.exc_info[0] is ConnectionRefusedError  # not AttributeError


def test_the_reports_callbacks_are_named(program_a, period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.request_program_report(program_a, period)
    assert [c.__qualname__ for c in callbacks] == [f"dispatch_reports([{QuarterlyReport.objects.get().pk}],)"]


def test_a_failed_ready_email_is_resent_by_the_beat_job(
    program_a, made, period, django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    real_send = notifications.send_mail

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "send_mail", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_program_report(program_a, period)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.notified_at is None
    assert mail.outbox == []

    # SMTP still down at the next beat: nothing lost, the e-mail stays in the outbox.
    time_machine.move_to(report.finished_at + notifications.RESEND_AFTER + datetime.timedelta(seconds=10))
    assert tasks.dispatch_pending_reports.apply().get()["mail_failed"] == 1
    monkeypatch.setattr(notifications, "send_mail", real_send)
    assert tasks.dispatch_pending_reports.apply().get()["mailed"] == 1
    report.refresh_from_db()
    assert report.notified_at is not None
    assert [m.to for m in mail.outbox] == [[made["supervisor"].email]]
    assert "mailed" not in tasks.dispatch_pending_reports.apply().get()  # once only


def test_old_unsent_reports_are_not_mailed(program_a, made, period, django_capture_on_commit_callbacks, time_machine):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_program_report(program_a, period)
    QuarterlyReport.objects.filter(pk=report.pk).update(notified_at=None)
    time_machine.move_to(timezone.now() + notifications.RESEND_WITHIN + datetime.timedelta(days=1))
    assert notifications.resend_unsent() == (0, 0)
