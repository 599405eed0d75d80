"""A broker that is down or hung never breaks a report request: the request stays queued in the
database (dispatched_at null), the page answers, and the pending rows are dispatched later."""

import signal
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outcomes import metrics
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services, tasks

from ..quarterly_celery import (
    TEST_BROKER_URL,
    celery_conf,
    closed_port,
    redis_error,
    silent_broker,
    unreachable_conf,
)
from ..quarterly_data import YEAR, Q, build_program

pytestmark = pytest.mark.django_db
GUARD_SECONDS = 30  # the test fails (instead of hanging) if a request waits longer than this


class Hung(Exception):
    pass


@pytest.fixture
def no_hang():
    """Interrupt the test if the code under test blocks: a liveness guard, not a timing check."""

    def interrupt(signum, frame):
        raise Hung(f"blocked for more than {GUARD_SECONDS} s on the broker")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def request_from_browser(client, program, capture):
    with capture(execute=True):
        response = client.post(
            reverse("reports:quarterly_request"), {"target": f"program:{program.pk}", "quarter": f"{YEAR}Q{Q}"}
        )
    return response


def test_broker_refusing_connections_keeps_the_request_queued(
    client, supervisor_a, program_a, django_capture_on_commit_callbacks, no_hang
):
    build_program(program_a, clients=2)
    client.force_login(supervisor_a)
    with celery_conf(**unreachable_conf(closed_port(), timeout=1)):
        response = request_from_browser(client, program_a, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        report = QuarterlyReport.objects.get()
        assert report.status == ReportStatus.QUEUED and report.dispatched_at is None and report.task_id == ""
        page = client.get(response.url)
        assert page.status_code == 200
        assert "Queued" in page.text and "waiting for the report service" in page.text
        assert 'hx-trigger="every 2s"' in page.text
        # The beat task and the command cannot send it either while the broker is down.
        assert tasks.dispatch_pending_reports.apply().get() == {"sent": 0, "pending": 1}
    # The broker is back (here: the embedded in-process mode): the command dispatches it.
    call_command("dispatch_pending_reports")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.dispatched_at is not None


def test_a_hung_broker_is_bounded_by_the_socket_timeouts(
    client, supervisor_a, program_a, django_capture_on_commit_callbacks, no_hang
):
    """A broker that accepts connections and never answers: the timeouts from settings (not
    shortened here) end the wait; the request is kept queued."""
    client.force_login(supervisor_a)
    with silent_broker() as port, celery_conf(**unreachable_conf(port)):
        response = request_from_browser(client, program_a, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200
    report = QuarterlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED and report.dispatched_at is None


def test_the_settings_bound_the_broker_wait():
    from django.conf import settings

    assert 0 < settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 10
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert 0 < options["socket_timeout"] <= 10 and 0 < options["socket_connect_timeout"] <= 10


def test_stale_claims_are_dispatched_again(program_a):
    period = metrics.Period.quarter(YEAR, Q)
    report, _ = services.request_program_report(program_a, period)
    QuarterlyReport.objects.filter(pk=report.pk).update(dispatched_at=timezone.now() - services.STALE_DISPATCH * 2)
    fresh, _ = services.request_program_report(
        program_a.__class__.objects.create(agency=program_a.agency, name="Fresh", code="fresh"), period
    )
    QuarterlyReport.objects.filter(pk=fresh.pk).update(dispatched_at=timezone.now())
    pending = set(services.pending_reports().values_list("pk", flat=True))
    assert report.pk in pending and fresh.pk not in pending
    assert services.dispatch_pending() == (1, 0)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_dispatch_to_a_live_redis_records_the_task(program_a):
    """With the broker up, the pending row is sent: claimed (dispatched_at) with the task id, and
    the message waits in the queue for a worker."""
    import redis

    if reason := redis_error():
        pytest.skip(f"Redis at {TEST_BROKER_URL} is unreachable ({reason})")
    queue = f"ips-test-dispatch-{uuid.uuid4().hex[:8]}"
    period = metrics.Period.quarter(YEAR, Q)
    report, _ = services.request_program_report(program_a, period)
    connection = redis.Redis.from_url(TEST_BROKER_URL)
    try:
        with celery_conf(task_always_eager=False, broker_url=TEST_BROKER_URL, task_default_queue=queue):
            assert services.dispatch_pending() == (1, 0)
        report.refresh_from_db()
        assert report.dispatched_at is not None and report.task_id
        assert report.status == ReportStatus.QUEUED  # no worker here: it waits in the queue
        assert connection.llen(queue) == 1
        assert services.dispatch_pending() == (0, 0)  # claimed: not sent twice
    finally:
        connection.delete(queue)
