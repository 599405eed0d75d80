"""Integration: a real Celery worker process on Redis generates reports against the test database.

- Broker: CELERY_TEST_BROKER_URL (default redis://127.0.0.1:6379/15), on a queue unique to this
  run, so several suites can share one Redis. Skipped with a message when Redis is unreachable.
- Database: the worker opens the test database (the test is transactional, so it sees what the test
  commits): PostgreSQL by name, SQLite by its file (tests/conftest.py keeps the SQLite test database in a
  file; WAL, IMMEDIATE transactions and a busy timeout in settings.py let the two processes share it).
- Clock: the worker starts through tests/pinned_clock.py, on this test's pinned "today".
- The worker is always terminated (fixture finalizer); every wait is bounded (WAIT_SECONDS).
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from demo.builder import REGION_CODE as DEMO_REGION
from demo.builder import seed as seed_demo
from outcomes import metrics
from programs.models import Program, Region
from reports.models import FINISHED_STATUSES as FINISHED
from reports.models import QuarterlyReport, ReportStatus, ReportTrigger
from reports.quarterly import services

from . import factories as f
from . import pinned_clock
from .quarterly_celery import TEST_BROKER_URL, celery_conf, redis_error
from .quarterly_data import YEAR, Q, build_program

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
WAIT_SECONDS = 60
CLOSE_ENTRY = "quarterly-reports-check-quarter-close"
CLOSE_DAY = datetime.date(2026, 4, 5)  # report_day_after_quarter (5) of the month after 2026 Q1


@pytest.fixture
def redis_broker():
    if reason := redis_error():
        pytest.skip(f"Redis broker {TEST_BROKER_URL} is unreachable ({reason}); start Redis to run the worker test")
    return TEST_BROKER_URL


@pytest.fixture
def shared_database_url(transactional_db):
    """A DATABASE_URL for the worker that points at the database this test writes to."""
    connection = connections["default"]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(params["USER"] or "", safe="")
        if params.get("PASSWORD"):
            auth += ":" + quote(params["PASSWORD"], safe="")
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{params['NAME']}"
    if connection.vendor != "sqlite":
        pytest.skip(f"the worker test supports PostgreSQL and SQLite, not {connection.vendor}")
    if connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database cannot be shared with a worker (tests/conftest.py uses a file)")
    return f"sqlite:///{params['NAME']}"


@pytest.fixture
def worker(redis_broker, shared_database_url, tmp_path):
    """A `celery worker --pool=solo` subprocess consuming a queue of its own."""
    queue = f"ips-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ips_site.settings",
        "DATABASE_URL": shared_database_url,
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": str(BASE_DIR),
        **pinned_clock.environ(timezone.now()),
    }
    command = [
        sys.executable,
        "-m",
        "tests.pinned_clock",  # celery's command line, on this run's pinned clock
        "celery",
        "-A",
        "ips_site",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    overrides = {"task_always_eager": False, "broker_url": redis_broker, "task_default_queue": queue}
    try:
        with celery_conf(**overrides):
            yield {"process": process, "queue": queue, "log": log}
    finally:
        _stop(process)
        _delete_queue(redis_broker, queue)


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _delete_queue(url, queue):
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    connection.delete(queue, *connection.keys(f"_kombu.binding.{queue}*"))


def wait_for(worker, predicate, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker["process"].poll() is not None:
            break
        time.sleep(0.25)
    log = worker["log"].read_text(errors="replace")[-4000:]
    pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s (worker exit code {worker['process'].poll()}).\n{log}")


def finished(pk):
    report = QuarterlyReport.objects.filter(pk=pk, status__in=[ReportStatus.DONE, ReportStatus.FAILED]).first()
    return report


def test_a_real_worker_generates_reports_and_the_scheduled_quarter_close(worker):
    period = metrics.Period.quarter(YEAR, Q)
    program = f.ProgramFactory(agency__region__name="Worker test region", name="Worker program")
    build_program(program, clients=3)

    # 1. One program report, requested as the browser does: written, committed, dispatched.
    report, _ = services.request_program_report(program, period)
    report.refresh_from_db()
    assert report.dispatched_at is not None and report.task_id, "dispatched to Redis after commit"
    done = wait_for(worker, lambda: finished(report.pk), "the program report")
    assert done.status == ReportStatus.DONE, done.error
    expected = metrics.outcomes(Program.objects.filter(pk=program.pk), period, as_of=metrics.period_as_of(period))
    assert done.data["totals"] == expected.as_dict()
    assert done.data["totals"]["active_caseload"] == 3
    assert done.definition_version == metrics.DEFINITION_VERSION and done.attempts == 1
    # The worker ran on this test's pinned day (tests/pinned_clock.py), not on the real one.
    assert timezone.localtime(done.finished_at).date() == timezone.localdate()
    # After its commit the worker e-mails the supervisors and records it: wait for that last write, so
    # step 2 starts with an idle worker.
    wait_for(
        worker, lambda: QuarterlyReport.objects.filter(pk=report.pk, notified_at__isnull=False).exists(), "the e-mail"
    )

    # 2. The demo region, and the beat-scheduled daily check sent as beat sends it, on the close
    #    day after 2026 Q1: every active program of every region, then the regional roll-ups.
    f.current_scale()  # the IPS-25 scale the demo reviews use (a transactional test may have flushed it)
    seed_demo(today=CLOSE_DAY)
    demo_region = Region.objects.get(code=DEMO_REGION)
    demo_programs = Program.objects.filter(agency__region=demo_region, is_active=True)
    assert demo_programs.count() >= 3
    from ips_site.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE[CLOSE_ENTRY]
    with app.connection_for_write() as connection:
        app.send_task(
            entry["task"], kwargs={"today": CLOSE_DAY.isoformat()}, connection=connection, queue=worker["queue"]
        )
    rollups = wait_for(
        worker,
        lambda: (
            list(QuarterlyReport.objects.filter(region__isnull=False, status__in=FINISHED).order_by("region__name"))
            if QuarterlyReport.objects.filter(region__isnull=False).count() == 2
            and not QuarterlyReport.objects.filter(region__isnull=False).exclude(status__in=FINISHED).exists()
            else None
        ),
        "the regional roll-ups",
    )
    demo_rollup = next(r for r in rollups if r.region_id == demo_region.pk)
    assert demo_rollup.status == ReportStatus.DONE, demo_rollup.error
    assert demo_rollup.trigger == ReportTrigger.QUARTER_CLOSE
    children = QuarterlyReport.objects.filter(rollup=demo_rollup)
    assert sorted(children.values_list("program_id", flat=True)) == sorted(demo_programs.values_list("pk", flat=True))
    assert set(children.values_list("status", flat=True)) == {ReportStatus.DONE}
    assert (
        demo_rollup.data["totals"]
        == metrics.outcomes(demo_programs, period, as_of=metrics.period_as_of(period)).as_dict()
    )
    assert demo_rollup.data["totals"]["active_caseload"] > 0
    assert {row["id"] for row in demo_rollup.data["by_program"]} == set(demo_programs.values_list("pk", flat=True))
    assert all(row["status"] == "done" for row in demo_rollup.data["program_reports"])
    other = next(r for r in rollups if r.region_id == program.agency.region_id)
    assert other.status == ReportStatus.DONE and other.program_reports.get().version == 2  # v1 was step 1
