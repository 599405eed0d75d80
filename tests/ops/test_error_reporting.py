"""Issue #18: error reporting (sentry-sdk, only with SENTRY_DSN, no client data), admin e-mails for stuck
reports, and PostgreSQL connections named web vs worker."""

import datetime
import os
import subprocess
import sys

import pytest
import sentry_sdk
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from sentry_sdk.transport import Transport

from ips_site import error_reporting
from ips_site.celery import name_database_connections
from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services

from ..quarterly_data import YEAR, Q


class Captured(Transport):
    """A transport that keeps the events instead of sending them."""

    events: list = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def reporting():
    Captured.events = []
    yield Captured.events
    sentry_sdk.get_global_scope().set_client(None)  # off again for the rest of the run


def test_error_reporting_is_off_without_a_dsn():
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()
    assert error_reporting.init("") is False and not sentry_sdk.get_client().is_active()


def test_the_settings_start_it_with_a_dsn():
    code = (
        "import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['before_send'].__name__)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ips_site.settings", "SENTRY_DSN": "http://key@127.0.0.1:9/1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False", "scrub"], out.stderr[-2000:]


def test_events_carry_no_request_body_query_string_cookies_or_variables(reporting):
    assert error_reporting.init(
        "http://key@127.0.0.1:9/1", transport=Captured, default_integrations=False, auto_enabling_integrations=False
    )
    event = {
        "message": "boom",
        "request": {
            "method": "POST",
            "url": "https://ips.example.org/clients/7/contacts/?q=Jane+Doe",
            "query_string": "q=Jane+Doe",
            "data": {"notes": "Client Jane Doe said..."},
            "cookies": {"sessionid": "s3cret"},
            "headers": {"Cookie": "sessionid=s3cret"},
        },
        "exception": {"values": [{"type": "E", "stacktrace": {"frames": [{"function": "f", "vars": {"n": "Jane"}}]}}]},
    }
    sentry_sdk.capture_event(event)
    sentry_sdk.flush()
    assert len(reporting) == 1
    sent = reporting[0]
    assert sent["request"] == {"method": "POST", "url": "https://ips.example.org/clients/7/contacts/"}
    assert "Jane" not in str(sent) and "s3cret" not in str(sent)


@pytest.mark.django_db
def test_the_reaper_emails_the_admins_about_stuck_reports(program_a, settings, time_machine):
    settings.ADMINS = [("Ops", "ops@example.org")]
    report, _ = services.request_program_report(program_a, Period.quarter(YEAR, Q))
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    mail.outbox.clear()
    assert services.reap_stuck_reports() == (0, 0)
    assert mail.outbox == []  # within its limit: nothing to say
    time_machine.move_to(timezone.now() + services.STUCK_RUNNING + datetime.timedelta(minutes=1))
    assert services.reap_stuck_reports() == (1, 0)
    (message,) = mail.outbox
    assert message.to == ["ops@example.org"] and "1 quarterly report(s) stuck" in message.subject
    assert f"report #{report.pk} ({report.code} v1" in message.body and "requeued" in message.body


@pytest.mark.django_db(transaction=True)  # the worker's renaming reopens the connection
def test_database_connections_are_named_web_or_worker():
    if connection.vendor != "postgresql":
        pytest.skip("application_name is a PostgreSQL setting")

    def name():
        with connection.cursor() as cursor:
            cursor.execute("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            return cursor.fetchone()[0]

    options = connection.settings_dict["OPTIONS"]
    assert name() == "ips-web"
    try:
        name_database_connections()  # what the worker and beat do when they start
        assert name() == "ips-worker"
    finally:
        options["application_name"] = "ips-web"
        settings.DATABASES["default"]["OPTIONS"]["application_name"] = "ips-web"
        connection.close()
