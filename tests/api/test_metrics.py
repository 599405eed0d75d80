"""GET /api/v1/metrics/: catalogue figures for the user's programs (or one) and a period."""

import datetime

import pytest

from audit.models import Action, AuditEvent
from outcomes import metrics
from outcomes.measures import MEASURES
from outcomes.periods import Period

from .. import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def by_key(response):
    assert response.status_code == 200, response.content
    return {m["key"]: m for m in response.json()["measures"]}


@pytest.fixture
def working_client(client_a, employer_a, today):
    # Program A: one active client, working in a competitive job started this quarter (on its first day:
    # five days ago would be last quarter on 3 January).
    return f.JobStartFactory(client=client_a, employer=employer_a, start_date=Period.quarter_containing(today).start)


def test_a_measure_with_its_words_benchmark_and_definition_version(supervisor_api, working_client, client_b, today):
    quarter = Period.quarter_containing(today)
    response = supervisor_api.get("/api/v1/metrics/", {"quarter": quarter.code, "measure": "employment_rate"})
    body = response.json()
    assert body["period"]["code"] == quarter.code and body["definition_version"] == metrics.DEFINITION_VERSION
    rate = by_key(response)["employment_rate"]
    expected = metrics.outcomes([working_client.client.program_id], quarter).employment_rate
    assert rate["value"]["numerator"] == expected.numerator == 1
    assert rate["value"]["denominator"] == expected.denominator == 1  # program B's client is not counted
    assert rate["label"] == MEASURES["employment_rate"].label
    assert rate["definition"] == MEASURES["employment_rate"].definition
    assert set(rate["benchmark"]) == set(MEASURES["employment_rate"].benchmark)
    assert rate["band"]["code"] == metrics.rate_band(expected).code  # the dashboards' band, not our own
    assert list(by_key(response)) == ["employment_rate"]


def test_every_figure_by_default(api_a, working_client, today):
    figures = by_key(api_a.get("/api/v1/metrics/"))
    assert figures["active_caseload"]["value"] == 1 and figures["job_starts"]["value"] == 1
    assert set(figures) == {k for k in MEASURES if k in metrics.Outcomes.figure_names()}


def test_one_program_and_another_programs_is_404(api_a, program_a, program_b, working_client):
    assert api_a.get("/api/v1/metrics/", {"program": program_a.pk}).json()["programs"] == [program_a.pk]
    assert api_a.get("/api/v1/metrics/", {"program": program_b.pk}).status_code == 404


def test_trainers_see_their_regions_figures(trainer_api, program_a, working_client):
    body = trainer_api.get("/api/v1/metrics/", {"measure": ["active_caseload", "working"]}).json()
    assert body["programs"] == [program_a.pk]
    assert [m["key"] for m in body["measures"]] == ["active_caseload", "working"]


def test_bad_input_is_400_with_field_errors(api_a):
    response = api_a.get("/api/v1/metrics/", {"quarter": "2026Q9", "measure": "happiness", "program": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"quarter", "measure", "program"}


def test_metrics_reads_are_audited(api_a, specialist_a, working_client):
    api_a.get("/api/v1/metrics/", {"quarter": "2026Q3"})
    event = AuditEvent.objects.get(user=specialist_a, action=Action.VIEW, detail__api="metrics")
    assert event.detail["period"] == "2026Q3"


def test_one_specialists_clients(supervisor_api, working_client, specialist_a, program_a, today):
    # Another client of program A, active but not on specialist A's caseload: left out of their figures.
    other = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(client=other, referral_date=today - 60 * DAY, enrollment_date=today - 50 * DAY)
    assert by_key(supervisor_api.get("/api/v1/metrics/"))["active_caseload"]["value"] == 2
    response = supervisor_api.get("/api/v1/metrics/", {"specialist": specialist_a.pk})
    figures = by_key(response)
    assert figures["active_caseload"]["value"] == 1 and figures["working"]["value"] == 1
    assert response.json()["specialist"] == specialist_a.pk


def test_another_programs_specialist_is_404(supervisor_api, specialist_b, supervisor_a):
    assert supervisor_api.get("/api/v1/metrics/", {"specialist": specialist_b.pk}).status_code == 404
    assert supervisor_api.get("/api/v1/metrics/", {"specialist": supervisor_a.pk}).status_code == 404


def test_a_region_for_its_trainer_only(trainer_api, supervisor_api, region, program_a, working_client):
    response = trainer_api.get("/api/v1/metrics/", {"region": region.pk, "measure": "active_caseload"})
    assert response.status_code == 200 and response.json()["region"] == region.pk
    assert by_key(response)["active_caseload"]["value"] == 1
    # A second program in the region: a program supervisor does not see the whole region.
    f.ProgramFactory(agency__region=region)
    assert supervisor_api.get("/api/v1/metrics/", {"region": region.pk}).status_code == 404
    assert len(trainer_api.get("/api/v1/metrics/", {"region": region.pk}).json()["programs"]) == 2


def test_two_scopes_at_once_are_refused(supervisor_api, program_a, specialist_a):
    response = supervisor_api.get("/api/v1/metrics/", {"program": program_a.pk, "specialist": specialist_a.pk})
    assert response.status_code == 400 and "program" in response.json()
