"""Reports stuck in "running" or lost in the broker: the reaper, Retry for stuck reports, a newer
version releasing older requests, the time limits below the visibility timeout (eager Celery, with
time-machine moving the clock past the limits)."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from reports.models import QuarterlyReport, ReportStatus, ReportTrigger
from reports.quarterly import services, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck_running(program_a, period):
    """A report a killed worker left running (its message gone), started now."""

    def make(attempts=1, **kwargs):
        report, _ = services.request_program_report(program_a, period, **kwargs)
        QuarterlyReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.RUNNING, dispatched_at=timezone.now(), started_at=timezone.now(), attempts=attempts
        )
        return report

    return make


def later(time_machine, delta):
    time_machine.move_to(timezone.now() + delta)


def test_task_limits_are_below_the_explicit_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
    assert services.STUCK_RUNNING.total_seconds() < visibility  # the reaper acts before a redelivery
    assert visibility > tasks.BACKOFF_MAX  # a retry's countdown is not redelivered early
    assert "reports.reap_stuck_reports" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}


def test_a_report_running_past_the_limit_is_requeued_and_made(stuck_running, made, time_machine):
    report = stuck_running()
    later(time_machine, services.STUCK_RUNNING - datetime.timedelta(minutes=1))
    assert tasks.reap_stuck_reports.apply().get()["requeued"] == 0  # still within the limit
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.RUNNING

    later(time_machine, datetime.timedelta(minutes=2))
    result = tasks.reap_stuck_reports.apply().get()
    assert result["requeued"] == 1 and result["sent"] == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 2


def test_a_report_stuck_after_its_last_attempt_fails_with_a_clear_error(stuck_running, time_machine):
    report = stuck_running(attempts=services.MAX_ATTEMPTS)
    later(time_machine, services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    assert services.reap_stuck_reports() == (0, 1)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "stuck running for more than" in report.error and "attempt(s)" in report.error


def test_a_task_that_gave_up_on_the_database_is_reaped(stuck_running, made, time_machine):
    """The database stayed down through every retry: mark_failed could not write either, so the row
    stayed running (Celery drops the failed task's message). The reaper takes it up."""
    report = stuck_running(attempts=1)
    later(time_machine, services.STUCK_RUNNING * 2)
    call_command("dispatch_pending_reports", stdout=(out := io.StringIO()))
    assert "1 requeued" in out.getvalue() and "Dispatched 1 report(s); 0 still pending." in out.getvalue()
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.DONE


def test_a_queued_report_whose_message_was_lost_is_seen_and_sent(program_a, period, made, time_machine):
    """Sent to the broker, never started (worker killed, then Redis restarted without persistence)."""
    report, _ = services.request_program_report(program_a, period)
    QuarterlyReport.objects.filter(pk=report.pk).update(dispatched_at=timezone.now(), task_id="lost")
    assert services.dispatch_pending() == (0, 0)  # just sent: the message may be in the queue
    later(time_machine, services.STALE_DISPATCH + datetime.timedelta(seconds=30))
    assert report.pk in services.pending_reports().values_list("pk", flat=True)
    assert services.dispatch_pending() == (1, 0)
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.DONE


def test_the_command_says_a_just_sent_report_is_waiting_in_the_broker(program_a, period, made, time_machine):
    """Right after a Redis restart the lost message is not stale yet: the operator is told it waits."""
    report, _ = services.request_program_report(program_a, period)
    QuarterlyReport.objects.filter(pk=report.pk).update(dispatched_at=timezone.now(), task_id="lost")
    later(time_machine, datetime.timedelta(minutes=2))
    call_command("dispatch_pending_reports", stdout=(out := io.StringIO()))
    assert "Dispatched 0 report(s); 0 still pending." in out.getvalue()
    assert "1 report(s) sent to the broker and not started yet (the oldest 2 min ago)" in out.getvalue()
    assert "or now with --resend" in out.getvalue()
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.QUEUED


def test_the_command_resends_every_queued_report_on_request(program_a, period, made):
    report, _ = services.request_program_report(program_a, period)
    QuarterlyReport.objects.filter(pk=report.pk).update(dispatched_at=timezone.now())
    call_command("dispatch_pending_reports", "--resend", stdout=(out := io.StringIO()))
    assert "Dispatched 1 report(s); 0 still pending." in out.getvalue()
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.DONE


def test_retry_accepts_a_stuck_report_but_not_a_live_one(stuck_running, made, supervisor_a, time_machine):
    from core.errors import RuleViolation

    report = stuck_running()
    with pytest.raises(RuleViolation, match="failed or stuck"):
        services.retry_report(report, user=supervisor_a)  # running within its limit: a task works on it
    later(time_machine, services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    services.retry_report(report, user=supervisor_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.dispatched_at is None


def test_a_new_request_does_not_wait_on_a_stuck_row(stuck_running, program_a, period, supervisor_a, time_machine):
    stuck = stuck_running()
    again, created = services.request_program_report(program_a, period, user=supervisor_a)
    assert again == stuck and not created  # a double click: the live row
    later(time_machine, services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    newer, created = services.request_program_report(program_a, period, user=supervisor_a)
    assert created and newer.version == stuck.version + 1


def test_a_newer_version_releases_the_older_requests(
    stuck_running, program_a, period, made, supervisor_a, django_capture_on_commit_callbacks
):
    waiting = stuck_running(user=supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        newer, created = services.request_program_report(program_a, period, trigger=ReportTrigger.OPERATOR)
    newer.refresh_from_db()
    assert created and newer.status == ReportStatus.DONE
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.FAILED
    assert f"superseded by version {newer.version}" in waiting.error
