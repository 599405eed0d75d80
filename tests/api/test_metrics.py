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
