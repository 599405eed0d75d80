"""A request id per request (the caller's X-Request-ID when it is a plain token, else a new one) in every
log line with the user id, web and worker; passed from the web request to its tasks in the headers."""

import logging
import re

import pytest
from celery.signals import before_task_publish

from ips_site import observability
from reports.models import QuarterlyReport
from reports.quarterly import tasks

from ..quarterly_data import YEAR, Q

pytestmark = pytest.mark.django_db


class Lines(logging.Handler):
    """The formatted lines, through the LOGGING filter and format of settings."""

    def __init__(self):
        super().__init__()
        self.lines = []
        self.addFilter(observability.ContextFilter())

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines(settings):
    handler = Lines()
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["line"]["format"]))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)


def test_the_callers_request_id_is_kept_and_logged_with_the_user_id(client, supervisor_a, log_lines):
    client.force_login(supervisor_a)
    response = client.get("/no-such-page/", headers={"X-Request-ID": "edge-4f2a.1"})
    assert response.status_code == 404 and response["X-Request-ID"] == "edge-4f2a.1"
    line = next(line for line in log_lines if "Not Found" in line)
    assert f"request_id=edge-4f2a.1 user_id={supervisor_a.pk} " in line
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ level=WARNING logger=django.request ", line)


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 65, "<script>"])
def test_a_missing_or_odd_request_id_is_replaced(client, sent, log_lines):
    headers = {"X-Request-ID": sent} if sent is not None else {}
    response = client.get("/no-such-page/", headers=headers)
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert any(f"request_id={rid} user_id=- " in line for line in log_lines)
    assert client.get("/no-such-page/")["X-Request-ID"] != rid  # one per request


def test_outside_a_request_the_fields_are_dashes(log_lines):
    logging.getLogger("ips.test").warning("beat tick")
    assert "request_id=- user_id=- beat tick" in log_lines[-1]


def test_the_web_request_id_travels_in_the_task_headers():
    token = observability.request_id.set("web-1234")
    try:
        headers = {}
        before_task_publish.send(sender="reports.generate_program_report", body=(), headers=headers)
    finally:
        observability.request_id.reset(token)
    assert headers["request_id"] == "web-1234"


def test_the_worker_logs_under_the_request_id_of_its_headers(program_a, log_lines):
    QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q)  # pending: the task logs
    tasks.dispatch_pending_reports.apply(headers={"request_id": "web-5678"}).get()
    line = next(line for line in log_lines if "pending quarterly report" in line)
    assert "request_id=web-5678 user_id=- " in line
    assert observability.request_id.get() is None  # reset after the task


def test_a_task_without_a_request_logs_under_its_task_id(program_a, log_lines):
    QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q)
    result = tasks.dispatch_pending_reports.apply(task_id="beat-task-1")
    result.get()
    assert any("request_id=beat-task-1 " in line for line in log_lines if "pending quarterly report" in line)
