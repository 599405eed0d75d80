"""Issue #18: "Retry" for stuck and failed reports (status fragment and list), and report requests that never
wait for the broker (the outbox row is written, the send happens in a background thread)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import outbox, services

from ..quarterly_celery import celery_conf, silent_broker, unreachable_conf
from ..quarterly_data import YEAR, Q, build_program

RETRY = "Try again"


def _stuck_running(program):
    """A report a killed worker left running (started long before the limit)."""
    report, _ = services.request_program_report(program, Period.quarter(YEAR, Q))
    started = timezone.now() - services.STUCK_RUNNING - datetime.timedelta(minutes=1)
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=started, attempts=1, dispatched_at=started
    )
    return report


@pytest.mark.django_db
def test_a_stuck_report_offers_retry_and_retrying_it_makes_the_snapshot(
    client, supervisor_a, program_a, django_capture_on_commit_callbacks
):
    build_program(program_a, clients=2)
    report = _stuck_running(program_a)
    client.force_login(supervisor_a)
    fragment = client.get(reverse("reports:quarterly_status", args=[report.pk]), headers={"HX-Request": "true"})
    assert "it is stuck" in fragment.text and RETRY in fragment.text
    assert reverse("reports:quarterly_retry", args=[report.pk]) in fragment.text
    listing = client.get(reverse("reports:quarterly_list"))
    assert reverse("reports:quarterly_retry", args=[report.pk]) in listing.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:quarterly_retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.version == 1 and report.attempts == 2
    assert report.data["totals"]["active_caseload"] == 2
    assert QuarterlyReport.objects.count() == 1


@pytest.mark.django_db
def test_a_report_running_within_its_limit_offers_no_retry(client, supervisor_a, program_a):
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    client.force_login(supervisor_a)
    fragment = client.get(reverse("reports:quarterly_status", args=[report.pk]))
    assert "Generating since" in fragment.text and RETRY not in fragment.text
    assert (
        reverse("reports:quarterly_retry", args=[report.pk]) not in client.get(reverse("reports:quarterly_list")).text
    )
    response = client.post(reverse("reports:quarterly_retry", args=[report.pk]), follow=True)
    assert "Only a failed or stuck report can be retried." in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING


@pytest.mark.django_db
def test_the_list_offers_retry_for_a_failed_report(client, supervisor_a, program_a):
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    services.mark_failed(report.pk, RuntimeError("database gone"))
    client.force_login(supervisor_a)
    assert reverse("reports:quarterly_retry", args=[report.pk]) in client.get(reverse("reports:quarterly_list")).text


@pytest.mark.django_db(transaction=True)
def test_a_report_request_leaves_the_broker_to_a_background_thread(client, supervisor_a, program_a, monkeypatch):
    """With a broker that accepts connections and never answers, the request writes its outbox row and
    answers without having talked to the broker; the send runs in another thread (it gives up on the
    frozen broker and releases its claim), and the dispatcher sends the row once a broker answers."""
    handed = []
    monkeypatch.setattr(outbox, "in_background", lambda func, *args: handed.append((func, args)))
    client.force_login(supervisor_a)
    with silent_broker() as port, celery_conf(**unreachable_conf(port, timeout=0.3)):
        response = client.post(
            reverse("reports:quarterly_request"), {"target": f"program:{program_a.pk}", "quarter": f"{YEAR}Q{Q}"}
        )
        assert response.status_code == 302
        report = QuarterlyReport.objects.get()
        # Answered with the row queued and never claimed: no send happened in the request.
        assert report.status == ReportStatus.QUEUED and report.dispatched_at is None and report.task_id == ""
        assert handed == [(services.dispatch_reports, ([report.pk],))]
        monkeypatch.undo()
        func, args = handed[0]
        thread = outbox.in_background(func, *args)
        thread.join(timeout=30)
        assert not thread.is_alive()
        report.refresh_from_db()
        assert report.dispatched_at is None  # the frozen broker refused it: back in the outbox
    with celery_conf(task_always_eager=False, broker_url="memory://"):
        assert services.dispatch_pending() == (1, 0)
    report.refresh_from_db()
    assert report.dispatched_at is not None and report.task_id


@pytest.mark.django_db(transaction=True)
def test_a_retry_request_also_sends_in_the_background(client, supervisor_a, program_a, monkeypatch):
    handed = []
    monkeypatch.setattr(outbox, "in_background", lambda func, *args: handed.append((func, args)))
    report = _stuck_running(program_a)
    client.force_login(supervisor_a)
    with silent_broker() as port, celery_conf(**unreachable_conf(port, timeout=0.3)):
        assert client.post(reverse("reports:quarterly_retry", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.dispatched_at is None
    assert handed == [(services.dispatch_reports, ([report.pk],))]
