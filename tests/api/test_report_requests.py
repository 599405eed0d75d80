"""POST /api/v1/quarterly-reports/: a request to generate, answered 202 with the report's status URL,
through reports.quarterly.services (the same reach rules as the reports pages)."""

import pytest

from audit.models import Action, AuditEvent
from reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db
URL = "/api/v1/quarterly-reports/"


def test_a_supervisor_requests_a_report_and_polls_it(supervisor_api, supervisor_a, program_a):
    response = supervisor_api.post(URL, {"program": program_a.pk, "quarter": "2026Q1"}, format="json")
    assert response.status_code == 202, response.content
    report = QuarterlyReport.objects.get(program=program_a)
    assert response["Location"].endswith(f"{URL}{report.pk}/") and response.json()["status_url"] == response["Location"]
    assert (report.year, report.quarter, report.requested_by) == (2026, 1, supervisor_a)
    polled = supervisor_api.get(response["Location"])
    assert polled.status_code == 200 and polled.json()["status"] == ReportStatus.QUEUED
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="reports.quarterlyreport").count() == 1


def test_a_repeat_while_queued_returns_the_same_report(supervisor_api, program_a):
    first = supervisor_api.post(URL, {"program": program_a.pk, "quarter": "2026Q1"}, format="json").json()
    again = supervisor_api.post(URL, {"program": program_a.pk, "quarter": "2026Q1"}, format="json").json()
    assert first["id"] == again["id"] and QuarterlyReport.objects.count() == 1


def test_specialists_and_other_programs_get_404(api_a, api_b, program_a):
    assert api_a.post(URL, {"program": program_a.pk, "quarter": "2026Q1"}, format="json").status_code == 404
    assert api_b.post(URL, {"program": program_a.pk, "quarter": "2026Q1"}, format="json").status_code == 404
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"quarter": "2026Q1"}, "program"),
        ({"program": "abc", "quarter": "2026Q1"}, "program"),
        ({"program": "PROGRAM", "quarter": "2030Q1"}, "quarter"),  # not ended yet: the service's rule
        ({"program": "PROGRAM", "quarter": "spring"}, "quarter"),
    ],
)
def test_bad_requests_are_400_by_field(supervisor_api, program_a, data, field):
    data = {k: program_a.pk if v == "PROGRAM" else v for k, v in data.items()}
    response = supervisor_api.post(URL, data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not QuarterlyReport.objects.exists()
