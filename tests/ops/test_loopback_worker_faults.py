"""Issue #18: a killed pool child, against a real Celery worker with a prefork pool on Redis and the
test database. The main process sees its child die (acks_late, task_reject_on_worker_lost in settings),
puts the message back and forks a new child, which makes the report at once: no reaper, no visibility
timeout (30 minutes) waited for.

    CELERY_TEST_BROKER_URL=redis://127.0.0.1:6379/2 .venv/bin/pytest -p no:xdist \
        tests/ops/test_loopback_worker_faults.py

Skipped when Redis is unreachable (tests/ops/conftest.py); every wait is bounded.
"""

import os
import signal

import pytest

from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services

from ..quarterly_data import YEAR, Q, build_program

pytestmark = [pytest.mark.loopback, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def status_of(report):
    report.refresh_from_db()
    return report.status


def test_a_killed_pool_child_is_redelivered_at_once_and_the_report_made_once(workers, program_a):
    build_program(program_a, clients=2)
    # The first attempt sleeps (120 s) in the pool child; the redelivered one runs at once.
    worker = workers.start(slow=True, pool="prefork", env={"SLOW_REPORT_ATTEMPTS": "1"})
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    workers.wait_for(lambda: status_of(report) == ReportStatus.RUNNING, "the report starting")
    first_start = report.started_at
    (child,) = workers.pool_children(worker)

    os.kill(child, signal.SIGKILL)  # kill -9 of the pool child mid-report (an OOM kill, a crash)
    workers.wait_for(lambda: status_of(report) == ReportStatus.DONE, "the redelivered report", seconds=30)

    assert worker.poll() is None  # the worker lives on with a new child
    assert child not in workers.pool_children(worker)
    assert "WorkerLostError" in workers.log_text()  # Celery saw the child die and put the message back
    # Made by the redelivery within seconds: not by the reaper (past services.STUCK_RUNNING) or the
    # broker's visibility timeout.
    assert report.attempts == 2 and report.started_at - first_start < services.STUCK_RUNNING / 10
    assert report.error == "" and report.data["totals"]["active_caseload"] == 2
    assert QuarterlyReport.objects.count() == 1
    assert workers.redis().llen(workers.queue) == 0  # nothing left to deliver again
