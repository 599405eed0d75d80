"""/healthz (process + database) and /readyz (database, broker, quarterly reports): JSON, no login,
degraded rather than failing when the broker is down or a report is stuck."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services

from ..quarterly_celery import celery_conf, closed_port, unreachable_conf
from ..quarterly_data import YEAR, Q

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["checks"]["database"]["ok"]
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/health/").json() == {"status": "ok"}  # the older name, its old shape


def test_healthz_stays_up_during_a_broker_outage(client):
    with celery_conf(**unreachable_conf(closed_port(), timeout=1)):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readyz_is_degraded_with_the_details_when_the_broker_is_down(client):
    with celery_conf(**unreachable_conf(closed_port(), timeout=1)):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] and not body["checks"]["broker"]["ok"]
    assert body["checks"]["broker"]["error"]


def test_readyz_in_the_embedded_setup(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["broker"] == {**body["checks"]["broker"], "ok": True, "mode": "embedded"}
    assert body["checks"]["reports"] == {**body["checks"]["reports"], "oldest_queued_seconds": None, "stuck": 0}


def test_readyz_reports_the_oldest_queued_and_running_and_the_stuck(client, program_a, time_machine):
    now = timezone.now()
    QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q, version=1)
    QuarterlyReport.objects.create(
        program=program_a, year=YEAR, quarter=Q, version=2, status=ReportStatus.RUNNING, started_at=now
    )
    time_machine.move_to(now + services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    body = client.get("/readyz").json()
    reports = body["checks"]["reports"]
    assert reports["stuck"] == 1 and body["status"] == "degraded"
    assert reports["oldest_queued_seconds"] >= services.STUCK_RUNNING.total_seconds()
    assert reports["oldest_running_seconds"] >= services.STUCK_RUNNING.total_seconds()


def test_a_database_that_fails_answers_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(connection, "cursor", refuse)
    for url in ("/healthz", "/readyz"):
        response = client.get(url)
        assert response.status_code == 503 and response.json()["status"] == "unavailable", url
        assert "database down" in response.json()["checks"]["database"]["error"]
    assert client.get("/health/").status_code == 503  # not a 500 page
