"""Supervisor dashboard, drill-downs and dashboard exports on the hand-computed program of
tests/reports/dashboard_data.py (2026Q1, today 15 Jun 2026)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients.models import Enrollment
from outcomes import metrics
from outcomes.measures import measure
from outcomes.metrics import Period
from programs.models import Program, Role

from .. import factories as f
from .dashboard_data import Q1, D

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today")]


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:dashboard"), {"quarter": Q1, **params})


def card(response, key):
    return next(c for c in response.context["cards"] if c.key == key)


def chart(response, key):
    return next(c for c in response.context["charts"] if c.key == key)


def names(response):
    return {c.first_name for c in response.context["records"]} if "records" in response.context else set()


# --- Figures ------------------------------------------------------------------------------------


def test_cards_equal_the_metrics_module_and_the_hand_computed_figures(client, world, supervisor_a):
    response = dashboard(client, supervisor_a)
    assert response.status_code == 200
    period = Period.parse(Q1)
    expected = metrics.outcomes(Program.objects.filter(pk=world["program"].pk), period)
    assert card(response, "active_caseload").raw == expected.active_caseload == 5
    assert card(response, "working").raw == expected.working == 2
    assert card(response, "employment_rate").raw == expected.employment_rate.percent == 40.0
    assert (
        card(response, "employment_rate").band["code"] == "too_few"
    )  # 40% over 5 clients < 10: not reliable, not banded
    assert card(response, "job_starts").raw == expected.job_starts == 1
    assert card(response, "first_contact_within_target").raw == expected.first_contact_within_target.percent == 50.0
    # Change from 2025Q4 (caseload 3, working 2, 66.7%, 1 start, 0 of 2 contacted).
    assert card(response, "active_caseload").change["value"] == 2
    assert card(response, "working").change["direction"] == "same"
    assert card(response, "employment_rate").change["value"] == -26.7
    assert card(response, "employment_rate").previous == "66.7%"
    assert card(response, "first_contact_within_target").change["value"] == 50.0
    html = response.content.decode()
    assert "40.0%" in html and "Minimal" in html and "2 of 5 active clients" in html
    # Labels and definitions are the catalogue's.
    assert card(response, "active_caseload").label == measure("active_caseload").label
    assert measure("active_caseload").definition in html and "What these figures mean" in html


def test_default_quarter_is_the_last_complete_one(client, world, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["filters"].period.code == "2026Q1"  # today is 15 Jun 2026 (Q2 runs)


def test_specialist_table_and_filter(client, world, supervisor_a):
    response = dashboard(client, supervisor_a)
    rows = {r["specialist"].username: r for r in response.context["specialist_rows"]}
    assert (rows["dash_s1"]["caseload"], rows["dash_s1"]["working"], rows["dash_s1"]["starts"]) == (2, 1, 1)
    assert (rows["dash_s2"]["caseload"], rows["dash_s2"]["working"], rows["dash_s2"]["starts"]) == (3, 1, 0)
    assert rows["dash_s1"]["rate"].percent == 50.0
    # Last 4 weeks of the quarter (4-31 Mar): s1 made one face-to-face contact, s2 none.
    assert rows["dash_s1"]["contacts_week"] == pytest.approx(0.25)
    assert rows["dash_s2"]["contacts_week"] == 0
    by_specialist = {
        u.pk: o
        for u, o in metrics.outcomes_by_specialist(Program.objects.filter(pk=world["program"].pk), Period.parse(Q1))
    }
    assert rows["dash_s2"]["caseload"] == by_specialist[world["s2"].pk].active_caseload

    filtered = dashboard(client, supervisor_a, specialist=world["s2"].pk)
    assert card(filtered, "active_caseload").raw == 3
    assert card(filtered, "working").raw == 1
    assert [r["specialist"].username for r in filtered.context["specialist_rows"]] == ["dash_s2"]


def test_charts_carry_the_figures(client, world, supervisor_a):
    response = dashboard(client, supervisor_a)
    trend = chart(response, "rate_trend")
    assert trend.labels[-2:] == ["2025Q4", "2026Q1"]
    assert trend.series[0].data[-2:] == [66.7, 40.0]
    assert [s.data[0] for s in trend.series[1:]] == [31.0, 41.0, 50.0]  # benchmark lines
    starts = chart(response, "job_starts")
    assert starts.labels[-1] == "Mar 2026" and len(starts.labels) == 12
    assert starts.series[0].data[starts.labels.index("Feb 2026")] == 1
    assert starts.series[0].data[starts.labels.index("Dec 2025")] == 1  # c5, before the quarter
    assert starts.series[0].data[starts.labels.index("Sep 2025")] == 1  # c3
    assert sum(starts.series[0].data) == 3
    # A month counts exactly what its drill-down lists.
    for month, n in zip(starts.labels, starts.series[0].data, strict=True):
        url = starts.series[0].urls[starts.labels.index(month)]
        assert client.get(url).context["page"].paginator.count == n
    first = chart(response, "first_contact")
    assert dict(zip(first.labels, first.series[0].data, strict=True))["0–30 days"] == 1
    assert dict(zip(first.labels, first.series[0].data, strict=True))["no contact yet"] == 1
    tenure = dict(zip(chart(response, "tenure").labels, chart(response, "tenure").series[0].data, strict=True))
    assert tenure == {"under 4 weeks": 0, "4–13 weeks": 1, "13–26 weeks": 1, "26–52 weeks": 0, "a year or more": 0}
    hours = dict(zip(chart(response, "hours").labels, chart(response, "hours").series[0].data, strict=True))
    assert hours["20–29 h"] == 1 and hours["30–39 h"] == 1 and sum(hours.values()) == 2
    caseload = chart(response, "caseload")
    assert caseload.series[0].data == [2, 3] and caseload.series[1].data == [20, 20]
    html = response.content.decode()
    for c in response.context["charts"]:
        # Every chart: a canvas fed by json_script, and an accessible table with the same figures.
        assert f'id="{c.data_id}"' in html and f'data-chart="{c.data_id}"' in html
        assert f'<caption class="visually-hidden">{c.title}</caption>' in html


# --- Drill-down ---------------------------------------------------------------------------------


def drill(client, user, measure, **params):
    client.force_login(user)
    return client.get(reverse("reports:drilldown"), {"measure": measure, "quarter": Q1, **params})


@pytest.mark.parametrize(
    "measure, params, expected",
    [
        ("active_caseload", {}, {"Quentin", "Rhoda", "Silas", "Tilda", "Ulla"}),
        ("working", {}, {"Quentin", "Ulla"}),
        ("rate_numerator", {}, {"Quentin", "Ulla"}),
        ("active_caseload", {"quarter": "2025Q4"}, {"Quentin", "Silas", "Ulla"}),
        ("working", {"quarter": "2025Q4"}, {"Silas", "Ulla"}),
    ],
)
def test_drilldown_lists_exactly_the_clients_behind_a_number(client, world, supervisor_a, measure, params, expected):
    response = drill(client, supervisor_a, measure, **params)
    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_drilldown_of_jobs_enrollments_and_bins(client, world, supervisor_a):
    starts = drill(client, supervisor_a, "job_starts")
    assert [j.client.first_name for j in starts.context["records"]] == ["Quentin"]
    counted = drill(client, supervisor_a, "first_contact", bin="counted")
    assert {e.client.first_name for e in counted.context["records"]} == {"Rhoda", "Tilda"}
    within = drill(client, supervisor_a, "first_contact", bin="within_target")
    assert [e.client.first_name for e in within.context["records"]] == ["Tilda"]
    assert "10" in within.content.decode()  # days to the first contact
    tenure = drill(client, supervisor_a, "tenure", bin="w13-26")
    assert [j.client.first_name for j in tenure.context["records"]] == ["Ulla"]
    month = drill(client, supervisor_a, "job_starts", month="2025-12")
    assert [j.client.first_name for j in month.context["records"]] == ["Ulla"]
    contacts = drill(client, supervisor_a, "employer_contacts", specialist=world["s2"].pk)
    assert [c.contact_date for c in contacts.context["records"]] == [D(2026, 1, 25)]
    assert drill(client, supervisor_a, "tenure", bin="nonsense").status_code == 404
    assert drill(client, supervisor_a, "no_such_measure").status_code == 404


def test_every_card_links_to_its_drilldown(client, world, supervisor_a):
    response = dashboard(client, supervisor_a)
    cards = [("active_caseload", 5), ("working", 2), ("employment_rate", 2), ("job_starts", 1)]
    # The first-contact card lists the new clients its rate counts (c2's window elapsed, c4 contacted).
    for key, expected in [*cards, ("first_contact_within_target", 2)]:
        url = card(response, key).url
        assert url.startswith(reverse("reports:drilldown"))
        assert client.get(url).context["page"].paginator.count == expected


def test_specialist_table_links_list_the_records_behind_each_figure(client, world, supervisor_a):
    rows = {r["specialist"].username: r for r in dashboard(client, supervisor_a).context["specialist_rows"]}
    contacts = client.get(rows["dash_s1"]["urls"]["contacts"])  # last 4 weeks of the quarter
    assert [c.contact_date for c in contacts.context["records"]] == [D(2026, 3, 20)]
    caseload = client.get(rows["dash_s2"]["urls"]["active_caseload"])
    assert names(caseload) == {"Silas", "Tilda", "Ulla"}
    starts = client.get(rows["dash_s1"]["urls"]["job_starts"])
    assert [j.client.first_name for j in starts.context["records"]] == ["Quentin"]


def test_drilldown_links_each_client_to_their_record(client, world, supervisor_a):
    response = drill(client, supervisor_a, "working")
    quentin = world["clients"]["c1"]
    assert f'href="{reverse("clients:client_detail", args=[quentin.pk])}"' in response.content.decode()


def test_out_of_work_denominator(client, world, supervisor_a):
    """IPS Grow: c1 was working at enrollment, so the rate is over c2-c5 (1 working: c5) = 25.0%."""
    Enrollment.objects.filter(client=world["clients"]["c1"]).update(employed_at_enrollment=True)
    response = dashboard(client, supervisor_a, denominator="out_of_work")
    assert card(response, "employment_rate").raw == 25.0
    assert card(response, "active_caseload").raw == 5 and card(response, "working").raw == 2  # always all active
    assert "1 of 4 out of work at enrollment" in response.content.decode()
    trend = chart(response, "rate_trend")
    assert [s.label for s in trend.series[1:]] == ["IPS Grow benchmark (40%)"]
    assert names(client.get(card(response, "employment_rate").url)) == {"Ulla"}
    assert names(client.get(card(response, "working").url)) == {"Quentin", "Ulla"}
    assert dashboard(client, supervisor_a, denominator="bogus").context["filters"].denominator == "all_active"


def test_drilldown_is_audited_without_client_names(client, world, supervisor_a):
    drill(client, supervisor_a, "working")
    event = AuditEvent.objects.get(action=Action.VIEW, user=supervisor_a, program_id=world["program"].pk)
    assert event.detail["measure"] == "working" and event.detail["period"] == Q1
    assert "Quentin" not in str(event.detail)


def test_drilldown_export_csv_is_audited(client, world, supervisor_a):
    response = drill(client, supervisor_a, "working", format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Client" and {r[0] for r in rows[1:]} == {"Quentin Ashgrove", "Ulla Eastwood"}
    assert AuditEvent.objects.filter(action=Action.EXPORT, user=supervisor_a, detail__measure="working").exists()


def test_records_left_out_of_the_figures_are_shown_not_dropped(client, world, supervisor_a):
    pending = f.ClientFactory(program=world["program"], first_name="Wilma", last_name="Pending")
    f.EnrollmentFactory(client=pending, referral_date=D(2026, 2, 1), enrollment_date=None)
    f.JobStartFactory(client=world["clients"]["c4"], start_date=D(2026, 3, 1), hours_per_week=None)
    f.ContactFactory(client=world["clients"]["c1"], contact_date=D(2026, 2, 2), mode="")
    response = dashboard(client, supervisor_a)
    notes = {q["measure"]: q["count"] for q in response.context["data_quality"]}
    assert notes == {"missing_enrollment_date": 1, "jobs_missing_fields": 1, "contacts_missing_mode": 1}
    assert card(response, "active_caseload").raw == 5  # the pending referral is not in the caseload...
    listed = client.get(response.context["data_quality"][0]["url"])
    assert [e.client.first_name for e in listed.context["records"]] == ["Wilma"]  # ...but it is listed
    contacts = client.get(
        next(q["url"] for q in response.context["data_quality"] if q["count"] and "contacts" in q["measure"])
    )
    assert [c.client.first_name for c in contacts.context["records"]] == ["Quentin"]
    assert "Not in these figures" in response.content.decode()


# --- Exports ------------------------------------------------------------------------------------


def export(client, user, dataset, fmt, **params):
    client.force_login(user)
    return client.get(reverse("reports:dashboard_export", args=[dataset, fmt]), {"quarter": Q1, **params})


def test_exports_open_and_contain_the_figures(client, world, supervisor_a):
    cards = list(csv.reader(io.StringIO(export(client, supervisor_a, "cards", "csv").content.decode("utf-8-sig"))))
    assert cards[0] == ["Measure", "This quarter", "Previous quarter", "Change", "Detail", "Definition"]
    by_label = {r[0]: r for r in cards[1:]}
    assert by_label["Working"][5] == measure("working").definition  # the catalogue's wording
    assert by_label["Active caseload"][1:3] == ["5", "3"]
    assert by_label["Quarterly employment rate"][1:4] == ["40.0", "66.7", "-26.7"]  # numbers are not "neutralised"

    trend = list(csv.reader(io.StringIO(export(client, supervisor_a, "rate_trend", "csv").content.decode("utf-8-sig"))))
    assert trend[-1][:2] == ["2026Q1", "40.0"]

    book = openpyxl.load_workbook(io.BytesIO(export(client, supervisor_a, "all", "xlsx").content))
    assert len(book.sheetnames) == 9  # summary, specialists and the seven charts
    summary = {row[0]: row for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["Active caseload"][1] == 5 and summary["Quarterly employment rate"][1] == 40.0
    specialists = list(book["By specialist"].iter_rows(values_only=True))
    assert specialists[0][0] == "Specialist"
    assert {r[0]: r[1] for r in specialists[1:]} == {"Ada Sparrow": 2, "Bea Thrush": 3}

    assert export(client, supervisor_a, "all", "csv").status_code == 404
    assert export(client, supervisor_a, "nonsense", "csv").status_code == 404
    assert export(client, supervisor_a, "cards", "pdf").status_code == 404
    events = AuditEvent.objects.filter(action=Action.EXPORT, user=supervisor_a, program_id=world["program"].pk)
    assert {e.detail["dataset"] for e in events} == {"cards", "rate_trend", "all"}


def test_export_neutralises_formulas_in_names(client, world, supervisor_a):
    world["s1"].first_name = '=HYPERLINK("http://evil.invalid","x")'
    world["s1"].save()
    rows = list(csv.reader(io.StringIO(export(client, supervisor_a, "specialists", "csv").content.decode("utf-8-sig"))))
    cells = [r[0] for r in rows[1:]]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith("=") for c in cells)
    book = openpyxl.load_workbook(io.BytesIO(export(client, supervisor_a, "specialists", "xlsx").content))
    values = [c.value for c in book.active["A"]]
    assert any(str(v).startswith("'=HYPERLINK") for v in values)
    assert all(c.data_type != "f" for c in book.active["A"])


# --- Access -------------------------------------------------------------------------------------


def test_another_programs_dashboard_drilldown_and_export_are_404(client, world, supervisor_a):
    other = world["other"].code
    assert dashboard(client, supervisor_a, program=other).status_code == 404
    assert drill(client, supervisor_a, "working", program=other).status_code == 404
    assert export(client, supervisor_a, "cards", "csv", program=other).status_code == 404
    assert dashboard(client, supervisor_a, specialist=999999).status_code == 404


def test_trainer_sees_figures_but_never_client_names(client, world, trainer):
    response = dashboard(client, trainer, program=world["program"].code)
    assert response.status_code == 200
    assert card(response, "active_caseload").raw == 5
    assert response.context["names_visible"] is False
    html = response.content.decode()
    for first_name in ("Quentin", "Rhoda", "Silas", "Tilda", "Ulla"):
        assert first_name not in html
    assert reverse("reports:drilldown") not in html
    assert drill(client, trainer, "working", program=world["program"].code).status_code == 404
    assert drill(client, trainer, "working", program=world["program"].code, format="csv").status_code == 404
    # Another region's program: 404.
    assert dashboard(client, trainer, program=world["other"].code).status_code == 404


def test_specialists_and_anonymous_users_get_no_dashboard(client, world):
    assert dashboard(client, world["s1"]).status_code == 404
    assert drill(client, world["s1"], "working").status_code == 404
    assert export(client, world["s1"], "cards", "csv").status_code == 404
    client.logout()
    assert client.get(reverse("reports:dashboard")).status_code == 302


def test_navigation_shows_dashboards_by_role(client, world, supervisor_a, trainer):
    client.force_login(supervisor_a)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in html and f'href="{reverse("reports:region")}"' not in html
    assert f"{reverse('reports:dashboard')}?program={world['program'].code}" in html  # program card link
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:region")}"' in html
    client.force_login(world["s1"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("reports:dashboard") not in html and reverse("reports:region") not in html


# --- Empty states -------------------------------------------------------------------------------


def test_empty_program_shows_an_explanation_not_an_error(client, region):
    empty = f.ProgramFactory(agency__region=region, name="Brand New IPS")
    supervisor = f.make_user(Role.SUPERVISOR, program=empty, username="new_super")
    response = dashboard(client, supervisor)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing to show for 2026 Q1 yet" in html
    rate = card(response, "employment_rate")
    assert rate.value == "–" and rate.band["code"] == "no_data"
    assert "<canvas" not in html  # every chart shows its empty state instead
    assert html.count("empty-state") >= 7
    assert export(client, supervisor, "all", "xlsx").status_code == 200


def test_empty_quarter_of_a_busy_program(client, world, supervisor_a):
    response = dashboard(client, supervisor_a, quarter="2024Q1")
    assert response.status_code == 200
    assert response.context["is_empty"] is True
    assert card(response, "active_caseload").raw == 0 and card(response, "employment_rate").raw is None


def test_a_future_or_malformed_quarter_falls_back_to_the_last_complete_one(client, world, supervisor_a):
    assert dashboard(client, supervisor_a, quarter="2030Q1").context["filters"].period.code == "2026Q1"
    assert dashboard(client, supervisor_a, quarter="garbage").context["filters"].period.code == "2026Q1"
