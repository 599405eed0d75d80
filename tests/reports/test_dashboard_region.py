"""Regional view: programs side by side, latest fidelity, sorting, scatter, exports and access."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone as tz

from audit.models import Action, AuditEvent
from outcomes import metrics
from outcomes.metrics import Period
from programs.models import Program, Role

from .. import factories as f
from .dashboard_data import Q1, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today")]


def region_page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:region"), {"quarter": Q1, **params})


def rows_by_code(response):
    return {r["program"].code: r for r in response.context["rows"]}


def test_programs_side_by_side_equal_the_metrics_module(client, region_world, trainer):
    response = region_page(client, trainer)
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert set(rows) == {region_world["program"].code, "program-c"}  # program B is another region's
    programs = Program.objects.filter(pk__in=[region_world["program"].pk, region_world["c"].pk])
    expected = metrics.outcomes_by_program(programs, Period.parse(Q1))
    a = rows[region_world["program"].code]
    assert (a["caseload"], a["rate"].percent, a["starts"]) == (5, 40.0, 1)
    assert a["caseload"] == expected[region_world["program"].pk].active_caseload
    assert a["rate"] == expected[region_world["program"].pk].employment_rate
    assert a["band"]["code"] == "too_few"  # 40% over 5 clients < 10: not reliable, not banded
    assert a["fidelity_total"] == 104 and a["fidelity_level"].code == "good"
    assert a["trend"]["direction"] == "down" and a["trend"]["value"] == -26.7
    c = rows["program-c"]
    assert (c["caseload"], c["rate"].percent, c["starts"], c["fidelity_total"]) == (1, 100.0, 0, None)
    assert c["trend"]["direction"] == "same"
    total = response.context["total"]
    assert (total.active_caseload, total.working) == (6, 3)


def test_sorting_without_javascript(client, region_world, trainer):
    by_rate = region_page(client, trainer, sort="-rate")
    assert [r["program"].name for r in by_rate.context["rows"]] == ["Program C", "Program A"]
    by_fidelity = region_page(client, trainer, sort="-fidelity")
    assert [r["program"].name for r in by_fidelity.context["rows"]] == ["Program A", "Program C"]  # blank last
    by_name = region_page(client, trainer, sort="name")
    assert [r["program"].name for r in by_name.context["rows"]] == ["Program A", "Program C"]
    assert region_page(client, trainer, sort="bogus").context["sort"] == "name"
    links = {link["key"]: link for link in by_rate.context["sort_links"]}
    assert links["rate"]["active"] and "sort=rate" in links["rate"]["url"]  # reverses the active column
    assert "sort=-caseload" in links["caseload"]["url"]
    assert 'aria-sort="descending"' in by_rate.content.decode()


def test_scatter_of_fidelity_against_rate(client, region_world, trainer):
    response = region_page(client, trainer)
    scatter = response.context["charts"][0]
    a_url = rows_by_code(response)[region_world["program"].code]["dashboard_url"]
    # Program C has no finalized review: it is in the table, not in the scatter.
    assert scatter.points == [{"x": 104, "y": 40.0, "label": "Program A", "url": a_url}]
    html = response.content.decode()
    assert f'data-chart="{scatter.data_id}"' in html
    assert scatter.table_rows()[0][1]["text"] == "104"


def test_region_drills_down_to_a_programs_dashboard_with_figures_only(client, region_world, trainer):
    response = region_page(client, trainer)
    url = rows_by_code(response)[region_world["program"].code]["dashboard_url"]
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["names_visible"] is False
    assert "Quentin" not in page.content.decode()
    assert "Quentin" not in response.content.decode() and "Wendell" not in response.content.decode()


def test_region_exports(client, region_world, trainer):
    client.force_login(trainer)
    response = client.get(reverse("reports:region_export", args=["csv"]), {"quarter": Q1})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Program", "Agency", "Active caseload", "Working", "Quarterly employment rate (%)"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Program A"][2] == "5" and by_name["Program A"][4] == "40.0" and by_name["Program A"][9] == "104"
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:region_export", args=["xlsx"]), {"quarter": Q1}).content)
    )
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert {r[0]: r[4] for r in sheet[1:]} == {"Program A": 40.0, "Program C": 100.0}
    assert client.get(reverse("reports:region_export", args=["pdf"])).status_code == 404
    assert AuditEvent.objects.filter(action=Action.EXPORT, user=trainer, detail__export="region").count() == 4


def test_region_access(client, region_world, supervisor_a, trainer):
    assert region_page(client, supervisor_a).status_code == 404
    assert region_page(client, region_world["s1"]).status_code == 404
    assert region_page(client, trainer, region=region_world["other"].agency.region.code).status_code == 404
    other_trainer = f.make_user(Role.TRAINER, region=region_world["other"].agency.region, username="far_trainer")
    response = region_page(client, other_trainer)
    assert set(rows_by_code(response)) == {region_world["other"].code}
    assert region_page(client, other_trainer, region=region_world["program"].agency.region.code).status_code == 404


def test_global_admin_chooses_among_regions(client, region_world, admin_user):
    response = region_page(client, admin_user, region=region_world["other"].agency.region.code)
    assert response.status_code == 200
    assert set(rows_by_code(response)) == {region_world["other"].code}
    assert len(response.context["regions"]) >= 2


def test_empty_region(client, db):
    lonely = f.RegionFactory(name="Empty Region", code="EMPTY")
    trainer = f.make_user(Role.TRAINER, region=lonely, username="empty_trainer")
    response = region_page(client, trainer)
    assert response.status_code == 200
    assert "No program of Empty Region is visible to you yet." in response.content.decode()
    empty_program = f.ProgramFactory(agency__region=lonely, name="Quiet IPS")
    response = region_page(client, trainer)
    row = rows_by_code(response)[empty_program.code]
    assert row["rate"].percent is None and row["band"]["code"] == "no_data" and row["trend"]["direction"] == "none"
    assert "No program has both a finalized fidelity review and active clients." in response.content.decode()


def test_today_is_fixed_for_these_tests():
    assert tz.localdate() == TODAY
