"""The benchmarks of docs/performance.md at a tiny size, so the scripts keep working: seed_scale, then
each bench/ script; they must print their figures and finish without error. Timings are never asserted.
The Locust run (gunicorn and a Celery worker as subprocesses) needs PostgreSQL and Redis."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from clients.models import Client, Contact, Enrollment
from programs.models import Membership, Program, Region, Role
from tests.quarterly_celery import TEST_BROKER_URL, redis_error

BENCH = Path(settings.BASE_DIR) / "bench"
pytestmark = [pytest.mark.bench_smoke, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bench_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    yield
    logging.disable(logging.NOTSET)  # the scripts silence INFO logging for their output


@pytest.fixture
def seeded(capsys):
    call_command("seed_scale", programs=4, clients_per_program=8, years=1, programs_per_region=2, seed=3)
    out = capsys.readouterr().out
    assert "seed_scale: done" in out
    return out


def run_main(module, argv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [module.__file__, *argv])
    module.main()
    return capsys.readouterr().out


def test_seed_scale_writes_a_consistent_dataset(seeded):
    assert Region.objects.filter(code__in=["SCALE01", "SCALE02"]).count() == 2
    assert Program.objects.filter(code__startswith="scale-").count() == 4
    # Every client has an episode; at most one open each (the database enforces it, this checks the data).
    assert Client.objects.count() == Enrollment.objects.values("client").distinct().count() > 0
    assert Contact.objects.exists()
    assert Membership.objects.filter(role=Role.SUPERVISOR).count() == 4
    assert Membership.objects.filter(role=Role.TRAINER).count() == 2


def test_quarter_and_pages_print_their_figures(seeded, bench_modules, monkeypatch, capsys):
    import pages
    import quarter

    out = run_main(quarter, ["--sql-repeat", "1"], monkeypatch, capsys)
    assert "raw SQL:" in out and "ratio:" in out
    assert "the app and the SQL agree for 4 of 4 programs" in out
    out = run_main(pages, ["--requests", "1"], monkeypatch, capsys)
    for page in ("specialist caseload", "client record", "contact POST", "supervisor dashboard", "regional view"):
        assert page in out
    assert "contacts posted 2, rows added 2" in out


def _database_url():
    params = connection.settings_dict
    auth = quote(params["USER"] or "", safe="")
    if params.get("PASSWORD"):
        auth += ":" + quote(params["PASSWORD"], safe="")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def test_load_reports_rps_percentiles_writes_and_memory(seeded):
    if connection.vendor != "postgresql":
        pytest.skip("the load test runs gunicorn against PostgreSQL")
    if error := redis_error():
        pytest.skip(f"Redis unreachable: {error}")
    env = dict(os.environ, DATABASE_URL=_database_url(), CELERY_BROKER_URL=TEST_BROKER_URL)
    result = subprocess.run(
        [sys.executable, str(BENCH / "load.py"), "--users", "3", "--seconds", "6", "--workers", "1", "--port", "8019"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Aggregated" in result.stdout
    assert "contacts posted" in result.stdout and "lost 0" in result.stdout
    assert "peak RSS: web worker" in result.stdout
