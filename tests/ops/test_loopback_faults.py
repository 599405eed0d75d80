"""Issue #18's faults, against real Celery worker processes, Redis and the test database on loopback:
a worker killed mid-report, a lost queued message, the broker down during a request, a duplicate delivery.

    CELERY_TEST_BROKER_URL=redis://127.0.0.1:6379/2 .venv/bin/pytest -p no:xdist -m loopback tests/ops

Skipped when Redis is unreachable (tests/ops/conftest.py); every wait is bounded.
"""

import datetime
import threading

import pytest
from celery import current_app
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services, tasks

from ..quarterly_celery import celery_conf, closed_port, unreachable_conf
from ..quarterly_data import YEAR, Q, build_program

pytestmark = [pytest.mark.loopback, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def status_of(report):
    report.refresh_from_db()
    return report.status


def done(report):
    return status_of(report) == ReportStatus.DONE


def join_background_sends():
    for thread in threading.enumerate():
        if thread.name.startswith("outbox-"):
            thread.join(timeout=30)


def test_a_worker_killed_on_every_attempt_is_failed_at_the_limit_and_retry_makes_it(
    workers, program_a, supervisor_a, client, settings, time_machine
):
    build_program(program_a, clients=2)
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    settings.ADMINS = [("Ops", "ops@example.org")]
    worker = workers.start(slow=True)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        workers.wait_for(
            lambda n=attempt: status_of(report) == ReportStatus.RUNNING and report.attempts == n, f"attempt {attempt}"
        )
        # The next worker starts meanwhile (a start takes seconds); after the last attempt, a healthy one.
        next_worker = workers.start(slow=attempt < services.MAX_ATTEMPTS)
        worker.kill()  # kill -9 of the whole worker, mid-report
        worker.wait(timeout=10)
        # Its message is lost too (as when Redis restarts without persistence): with the clock moved on
        # 16 minutes an attempt, the next workers would pass the 30-minute visibility timeout and
        # deliver it again, which is the other way back (test_a_worker_killed_mid_report_is_requeued...).
        workers.forget_unacked()
        assert status_of(report) == ReportStatus.RUNNING  # nothing will finish it

        # Past the limit, beat's reaper finds it: it requeues it, and on its last attempt fails it and
        # e-mails the admins.
        time_machine.move_to(timezone.now() + services.STUCK_RUNNING + datetime.timedelta(minutes=1))
        mail.outbox.clear()
        result = tasks.reap_stuck_reports.apply().get()
        if attempt < services.MAX_ATTEMPTS:
            assert (result["requeued"], result["failed"], result["sent"]) == (1, 0, 1)  # to the next worker
        else:
            assert (result["requeued"], result["failed"]) == (0, 1)
        worker = next_worker
    assert status_of(report) == ReportStatus.FAILED and "stuck running" in report.error
    assert f"after {services.MAX_ATTEMPTS} attempt(s)" in report.error
    assert [m.to for m in mail.outbox] == [["ops@example.org"]] and f"#{report.pk}" in mail.outbox[0].body

    # The supervisor retries it from the page; a healthy worker makes the one snapshot.
    client.force_login(supervisor_a)
    assert "Try again" in client.get(reverse("reports:quarterly_detail", args=[report.pk])).text
    assert client.post(reverse("reports:quarterly_retry", args=[report.pk])).status_code == 302
    workers.wait_for(lambda: done(report), "the retried report")
    assert report.attempts == services.MAX_ATTEMPTS + 1 and report.version == 1
    assert report.data["totals"]["active_caseload"] == 2
    assert QuarterlyReport.objects.count() == 1


def test_a_worker_killed_mid_report_is_requeued_by_the_reaper_and_made_once(workers, program_a, time_machine):
    build_program(program_a, clients=2)
    worker = workers.start(slow=True)
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    workers.wait_for(lambda: status_of(report) == ReportStatus.RUNNING, "the report starting")
    worker.kill()
    worker.wait(timeout=10)

    time_machine.move_to(timezone.now() + services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    result = tasks.reap_stuck_reports.apply().get()
    assert (result["requeued"], result["sent"]) == (1, 1)  # its first attempt: requeued and sent again
    assert workers.redis().llen(workers.queue) == 1
    workers.start()
    workers.wait_for(lambda: done(report), "the requeued report")
    assert report.attempts == 2 and QuarterlyReport.objects.count() == 1


def test_a_lost_queued_message_is_seen_and_sent_again(workers, program_a, time_machine):
    build_program(program_a, clients=2)
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    redis = workers.redis()
    assert redis.llen(workers.queue) == 1 and report.task_id == "" and status_of(report) == ReportStatus.QUEUED
    redis.delete(workers.queue)  # the message is lost (Redis restarted without persistence, a flushed queue)

    time_machine.move_to(timezone.now() + services.STALE_DISPATCH + datetime.timedelta(minutes=1))
    out = _command_output()
    assert "Dispatched 1 report(s); 0 still pending." in out
    assert redis.llen(workers.queue) == 1
    workers.start()
    workers.wait_for(lambda: done(report), "the re-sent report")
    assert report.attempts == 1 and QuarterlyReport.objects.count() == 1


def _command_output():
    from io import StringIO

    out = StringIO()
    call_command("dispatch_pending_reports", stdout=out)
    return out.getvalue()


def test_a_request_succeeds_with_the_broker_down_and_is_sent_when_it_is_back(workers, program_a, supervisor_a, client):
    build_program(program_a, clients=2)
    client.force_login(supervisor_a)
    with celery_conf(**unreachable_conf(closed_port(), timeout=0.5)):
        response = client.post(
            reverse("reports:quarterly_request"), {"target": f"program:{program_a.pk}", "quarter": f"{YEAR}Q{Q}"}
        )
        assert response.status_code == 302
        join_background_sends()
        assert client.get("/healthz").json()["status"] == "ok"
    report = QuarterlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED and report.dispatched_at is None  # kept in the outbox
    assert services.dispatch_pending() == (1, 0)  # the broker is back: beat's dispatcher sends it
    workers.start()
    workers.wait_for(lambda: done(report), "the report sent after the outage")


def test_a_duplicate_delivery_makes_one_snapshot_and_one_email(workers, program_a, supervisor_a):
    build_program(program_a, clients=2)
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    report.refresh_from_db()
    assert report.dispatched_at is not None and report.task_id  # the request's own message is sent
    # The same task delivered twice (a redelivery after a lost acknowledgement). On a connection to this
    # test's broker, as the dispatch code does: the app's producer pool keeps the broker URL of its first
    # use in this process (an earlier test's), and the copy would go to another Redis.
    with current_app.connection_for_write() as connection:
        services._task_for(report).apply_async(args=[report.pk], queue=workers.queue, connection=connection)
    assert workers.redis().llen(workers.queue) == 2
    workers.start()
    workers.wait_for(lambda: workers.log.read_text(errors="replace").count("succeeded in") == 2, "both deliveries")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 1 and report.notified_at is not None
    assert QuarterlyReport.objects.count() == 1
    assert workers.log.read_text(errors="replace").count("Subject: Quarterly report ready") == 1
