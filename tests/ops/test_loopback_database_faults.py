"""Issue #18's database faults, against a real Celery worker whose PostgreSQL connections go through a
TCP proxy on loopback (tests/ops/tcp_proxy.py) that the test cuts: a short blip during a report is
retried and the report made once (and the session cut is the worker's, named "ips-worker" in
pg_stat_activity); an outage longer than the task's retries leaves the report to the reaper, which has
it made once the database is back.

    CELERY_TEST_BROKER_URL=redis://127.0.0.1:6379/2 DATABASE_URL=postgres://... \\
        .venv/bin/pytest -p no:xdist tests/ops/test_loopback_database_faults.py

PostgreSQL only (the proxy forwards TCP; SQLite is a file), skipped when Redis is unreachable. The
worker retries after 0.25-0.5 s, then twice as long each time (REPORT_TASK_RETRY_BACKOFF=0.5, production
5 s), so a "minutes-long" outage is a few seconds here.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services, tasks

from ..quarterly_data import YEAR, Q, build_program
from .conftest import _database_url
from .tcp_proxy import TcpProxy

pytestmark = [pytest.mark.loopback, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

RETRYING = "OperationalError, retrying"  # reports/quarterly/tasks.py's warning, one a retry
# The worker: each report's first attempt sleeps 3 s before its queries (while the test looks at its
# session and cuts the database), the retried or requeued attempt runs at once; quick retries.
WORKER_ENV = {"SLOW_REPORT_SECONDS": "3", "SLOW_REPORT_ATTEMPTS": "1", "REPORT_TASK_RETRY_BACKOFF": "0.5"}


@pytest.fixture
def db_proxy(workers):
    if connection.vendor != "postgresql":
        pytest.skip("the database proxy forwards PostgreSQL's TCP connections; SQLite has none")
    params = connection.settings_dict
    with TcpProxy(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432)) as proxy:
        proxy.database_url = _database_url(host="127.0.0.1", port=proxy.port)
        yield proxy


def start_worker(workers, db_proxy, pool="solo", **env):
    return workers.start(slow=True, pool=pool, env={**WORKER_ENV, "DATABASE_URL": db_proxy.database_url, **env})


def request_and_wait_running(workers, program):
    build_program(program, clients=2)
    report, _ = services.request_program_report(program, Period.quarter(YEAR, Q))
    workers.wait_for(lambda: status_of(report) == ReportStatus.RUNNING, "the report starting")
    return report


def status_of(report):
    report.refresh_from_db()  # the test's own connection: direct, not through the proxy
    return report.status


def names_of(client_ports=(), own=False):
    """The application_name of the sessions on the test database from these client ports (the proxy's
    side of the worker's connections), or of the test's own session."""
    with connection.cursor() as cursor:
        if own:
            cursor.execute("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        else:
            cursor.execute(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
                " AND client_addr = '127.0.0.1' AND client_port = ANY(%s)",
                [list(client_ports)],
            )
        return [name for (name,) in cursor.fetchall()]


def retries_logged(workers):
    return workers.log_text().count(RETRYING)


def test_a_database_blip_during_a_report_is_retried_and_the_report_made_once(workers, db_proxy, program_a):
    # A prefork pool: the report runs in a pool child, forked after the worker named its connections.
    start_worker(workers, db_proxy, pool="prefork")
    report = request_and_wait_running(workers, program_a)

    # The session the blip will cut is the worker's, named in pg_stat_activity; the test's is the web's.
    assert names_of(db_proxy.upstream_ports()) == ["ips-worker"]
    assert names_of(own=True) == ["ips-web"]
    # The database goes away mid-report (the worker's connection is cut, new ones are reset) for as long
    # as the worker takes to fail three times: the cut query, then two retries that cannot connect.
    db_proxy.refuse()
    workers.wait_for(lambda: retries_logged(workers) >= 3, "three failed tries")
    db_proxy.forward()
    workers.wait_for(lambda: status_of(report) == ReportStatus.DONE, "the report after the blip")

    assert db_proxy.refused >= 2  # the retries really met a database refusing connections
    assert "database still failing" not in workers.log_text()  # within the retries: no give-up
    # The cut attempt and the retry that made it (the retries that could not connect never started).
    assert report.attempts == 2 and report.error == "" and report.data["totals"]["active_caseload"] == 2
    assert QuarterlyReport.objects.count() == 1


def test_a_database_outage_longer_than_the_retries_leaves_the_report_to_the_reaper(
    workers, db_proxy, program_a, time_machine
):
    start_worker(workers, db_proxy, REPORT_TASK_MAX_RETRIES="2")
    report = request_and_wait_running(workers, program_a)

    db_proxy.refuse()  # and it stays away ("minutes": longer than the task's retries)
    workers.wait_for(lambda: "database still failing after 2 retries" in workers.log_text(), "the task giving up")
    workers.wait_for(lambda: "raised unexpected: OperationalError" in workers.log_text(), "the task failing")
    assert retries_logged(workers) == 2  # the cut query and the first retry; the second gave up
    # The task could not record its failure (no database) and Celery dropped its message: the report
    # is left running with nothing working on it ...
    assert status_of(report) == ReportStatus.RUNNING and report.attempts == 1
    assert workers.redis().llen(workers.queue) == 0

    # ... until the database is back and, past the limit, beat's reaper requeues it and sends it again.
    db_proxy.forward()
    time_machine.move_to(timezone.now() + services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    result = tasks.reap_stuck_reports.apply().get()
    assert (result["requeued"], result["failed"], result["sent"]) == (1, 0, 1)
    workers.wait_for(lambda: status_of(report) == ReportStatus.DONE, "the requeued report")
    assert report.attempts == 2 and report.error == "" and report.data["totals"]["active_caseload"] == 2
    assert QuarterlyReport.objects.count() == 1
