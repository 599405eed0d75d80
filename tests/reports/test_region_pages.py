"""Regional view at scale: only the shown figures (outcomes.quarter.employment_by_program), equal to the
metrics module's; pages of programs sorted across pages; complete exports; queries independent of the
number of programs."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.models import Denominator
from outcomes import metrics, quarter
from outcomes.metrics import Period
from programs.models import Program, Role
from reports.dashboard import region as region_module

from .. import factories as f
from .dashboard_data import Q1, finalized

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today")]
D = datetime.date


def make_programs(region, count):
    """`count` programs: program n has n + 1 clients enrolled before 2026Q1, n of them working in it
    (one employed at enrollment), and a job start in it for every second one."""
    programs = []
    for n in range(count):
        program = f.ProgramFactory(agency__region=region, name=f"Region program {n:02d}")
        specialist = f.make_user(Role.SPECIALIST, program=program, username=f"rp_spec_{region.code}_{n}")
        for index in range(n + 1):
            client = f.ClientFactory(program=program)
            f.EnrollmentFactory(
                client=client, enrollment_date=D(2025, 9, 1), specialist=specialist, employed_at_enrollment=index == 0
            )
            if index < n:
                start = D(2026, 2, 2) if index % 2 else D(2025, 11, 3)
                f.JobStartFactory(client=client, start_date=start)
        programs.append(program)
    return programs


@pytest.fixture
def trainer_of(region):
    return f.make_user(Role.TRAINER, region=region, username="region_pages_trainer")


@pytest.mark.parametrize("denominator", [Denominator.ALL_ACTIVE, Denominator.OUT_OF_WORK])
def test_the_shown_figures_equal_outcomes_by_program(region, denominator):
    programs = Program.objects.filter(pk__in=[p.pk for p in make_programs(region, 4)])
    for period, as_of in ((Period.parse(Q1), D(2026, 6, 15)), (Period.parse("2026Q2"), D(2026, 5, 20))):
        expected = metrics.outcomes_by_program(programs, period, denominator=denominator, as_of=as_of)
        got = quarter.employment_by_program(programs, period, denominator=denominator, as_of=as_of)
        assert set(got) == set(expected)
        for pk, figures in expected.items():
            assert (got[pk].active_caseload, got[pk].working, got[pk].employment_rate, got[pk].job_starts) == (
                figures.active_caseload,
                figures.working,
                figures.employment_rate,
                figures.job_starts,
            )
        total = metrics.outcomes(programs, period, denominator=denominator, as_of=as_of)
        combined = quarter.combined(got.values())
        assert (combined.active_caseload, combined.working, combined.employment_rate, combined.job_starts) == (
            total.active_caseload,
            total.working,
            total.employment_rate,
            total.job_starts,
        )


def test_pages_are_cut_from_rows_sorted_across_all_programs(client, region, trainer_of, monkeypatch):
    monkeypatch.setattr(region_module, "REGION_PAGE", 3)
    make_programs(region, 7)
    client.force_login(trainer_of)
    url = reverse("reports:region")
    first = client.get(url, {"quarter": Q1, "sort": "-caseload"})
    assert [r["caseload"] for r in first.context["rows"]] == [7, 6, 5]
    assert first.context["page"].paginator.count == 7 and "7 programs" in first.content.decode()
    # The next link keeps the region, quarter and sort.
    next_url = first.context["next_url"]
    assert "sort=-caseload" in next_url and f"quarter={Q1}" in next_url and "page=2" in next_url
    second = client.get(next_url)
    assert [r["caseload"] for r in second.context["rows"]] == [4, 3, 2]
    third = client.get(url, {"quarter": Q1, "sort": "-caseload", "page": "3"})
    assert [r["caseload"] for r in third.context["rows"]] == [1] and third.context["next_url"] is None
    assert 'rel="prev"' in third.content.decode()
    # Sort links lead back to the first page; the total and the scatter cover every program.
    assert all("page=" not in link["url"] for link in second.context["sort_links"])
    assert second.context["total"].active_caseload == sum(range(1, 8))
    assert client.get(url, {"quarter": Q1, "sort": "name", "page": "99"}).context["page"].number == 3


def test_scatter_and_exports_keep_every_program(client, region, trainer_of, monkeypatch):
    monkeypatch.setattr(region_module, "REGION_PAGE", 2)
    programs = make_programs(region, 5)
    for program, total in ((programs[1], 90), (programs[4], 110)):
        finalized(program, total, D(2026, 2, 1))
    client.force_login(trainer_of)
    page = client.get(reverse("reports:region"), {"quarter": Q1})
    assert len(page.context["rows"]) == 2
    assert sorted(point["x"] for point in page.context["charts"][0].points) == [90, 110]
    response = client.get(reverse("reports:region_export", args=["csv"]), {"quarter": Q1, "sort": "-rate"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert len(rows) == 5
    rates = [float(r[4]) for r in rows]
    assert rates == sorted(rates, reverse=True)


def test_the_queries_do_not_depend_on_the_number_of_programs(client, region, trainer_of):
    client.force_login(trainer_of)
    url = reverse("reports:region")
    counts = []
    for size in (2, 6):
        make_programs(region, size if not counts else size - 2)
        client.get(url, {"quarter": Q1})  # warm caches (settings, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"quarter": Q1}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
