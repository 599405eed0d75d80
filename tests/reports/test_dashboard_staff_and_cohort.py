"""The supervisor dashboard, the regenerated quarterly snapshot and the fidelity evidence read 2026 Q3's
staff from the memberships in force during it (issue 12, item 6), and the dashboard shows the 18-month
cohort rate beside the quarterly rate, flagged "Not reliable" under small_numbers_min clients (item 7).
Today is the root conftest's Monday 2026-11-30; every expected value is worked out by hand.

Staff of program A in 2026 Q3 (92 days, read as of 2026-10-31):
  S1 full time throughout (92 FTE-days)   S2 0.5 FTE throughout (46)   S3 leaves after 2026-08-15 (46)
  -> 3 specialists, 184 FTE-days = 184 / 7 FTE-weeks; FTE on 30 Sep = 1.5.
Face-to-face contacts with A's employer: S1 Jul 6, Aug 3; S2 Sep 1; S3 Jul 20 (Aug 20 is after leaving)
  -> 4 contacts, 4 / (184 / 7) = 28 / 184 a week.
Open clients on 30 Sep: S1 two, S2 two -> 4 / 1.5 FTE per full-time specialist.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from fidelity.suggestions import figures as fidelity_figures
from outcomes import metrics as m
from programs.models import Membership, Program, Role
from reports.models import QuarterlyReport
from reports.quarterly.snapshots import build_snapshot

from .. import factories as f

D = datetime.date
Q3 = m.Period.custom(D(2026, 7, 1), D(2026, 9, 30))
AS_OF = D(2026, 10, 31)  # the quarter's last day + 30 + 1 (period_as_of)

pytestmark = pytest.mark.django_db


def enrol(program, specialist, enrolled, closed=None):
    client = f.ClientFactory(program=program)
    f.EnrollmentFactory(
        client=client,
        enrollment_date=enrolled,
        referral_date=enrolled - datetime.timedelta(days=7),
        closure_date=closed,
        closure_reason="moved" if closed else "",
        specialist=specialist,
    )
    return client


@pytest.fixture
def staffed(program_a, supervisor_a):
    s1 = f.make_user(Role.SPECIALIST, program=program_a, username="q3_s1", last_name="One")
    s2 = f.UserFactory(username="q3_s2", last_name="Two")
    Membership.objects.create(user=s2, role=Role.SPECIALIST, program=program_a, start_date=D(2020, 1, 1), fte="0.5")
    s3 = f.UserFactory(username="q3_s3", last_name="Three")
    Membership.objects.create(
        user=s3, role=Role.SPECIALIST, program=program_a, start_date=D(2020, 1, 1), end_date=D(2026, 8, 15)
    )
    employer = f.EmployerFactory(program=program_a)
    for who, day in [(s1, D(2026, 7, 6)), (s1, D(2026, 8, 3)), (s2, D(2026, 9, 1)), (s3, D(2026, 7, 20))]:
        f.EmployerContactFactory(employer=employer, contact_date=day, specialist=who, face_to_face=True)
    f.EmployerContactFactory(employer=employer, contact_date=D(2026, 8, 20), specialist=s3, face_to_face=True)
    for who in (s1, s1, s2, s2):
        enrol(program_a, who, D(2026, 1, 10))
    return {"s1": s1, "s2": s2, "s3": s3}


def dashboard(client, user, quarter="2026Q3"):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), {"quarter": quarter})
    assert response.status_code == 200
    return response


def q3_figures(client, supervisor_a, program_a):
    """Every staff figure of 2026 Q3 the three readers show."""
    response = dashboard(client, supervisor_a)
    out = response.context["outcomes"]
    rows = {r["specialist"].username for r in response.context["specialist_rows"]}
    # The snapshot as regenerating the report would compute it now (build_snapshot does not save).
    report = QuarterlyReport.objects.filter(program=program_a, year=2026, quarter=3).first()
    data, _bench, _version = build_snapshot(report or f.QuarterlyReportFactory(program=program_a, year=2026, quarter=3))
    totals = data["totals"]
    evidence = fidelity_figures(Program.objects.filter(pk=program_a.pk), Q3, ["caseload", "employer_contacts"], AS_OF)
    return {
        "dashboard": (out.specialist_count, out.employer_contacts, out.employer_contacts_per_specialist_week,
                      out.caseload_per_specialist),
        "rows": rows,
        "snapshot": (totals["specialist_count"], totals["employer_contacts"],
                     totals["employer_contacts_per_specialist_week"], totals["caseload_per_specialist"]),
        "snapshot_rows": {row["name"] for row in data["by_specialist"]},
        "evidence": (evidence["caseload"][0], evidence["employer_contacts"][0]),
    }  # fmt: skip


def check_q3(figures):
    for key in ("dashboard", "snapshot"):
        count, contacts, per_week, caseload = figures[key]
        assert (count, contacts) == (3, 4), key
        assert per_week == pytest.approx(28 / 184), key
        assert caseload == pytest.approx(4 / 1.5), key
    assert figures["rows"] == {"q3_s1", "q3_s2", "q3_s3"}
    assert len(figures["snapshot_rows"]) == 3
    assert figures["evidence"][0] == pytest.approx(4 / 1.5)
    assert figures["evidence"][1] == pytest.approx(28 / 184)


def test_deactivating_a_specialist_today_changes_no_figure_of_q3(client, program_a, supervisor_a, staffed):
    before = q3_figures(client, supervisor_a, program_a)
    check_q3(before)
    membership = Membership.objects.get(user=staffed["s1"])
    membership.is_active = False  # as the admin's former "active" box did: the membership ends today
    membership.save()
    assert Membership.objects.get(user=staffed["s1"]).end_date == D(2026, 11, 30)
    after = q3_figures(client, supervisor_a, program_a)
    check_q3(after)
    assert after == before


def test_todays_choices_leave_out_the_ended_membership(program_a, staffed):
    from programs.selectors import specialists_of

    assert set(specialists_of(program_a)) == {staffed["s1"], staffed["s2"]}  # S3 ended on 15 Aug


@pytest.fixture
def small_cohort(program_a, supervisor_a, staffed):
    """Cohort of 2026 Q3 (18 months back from 30 Sep 2026 = 30 Mar 2025 -> 2025 Q1): three clients
    enrolled in Feb 2025 (closed in June), one with a competitive job on 1 Jun 2025 -> 1 of 3, fewer
    than 10: "Not reliable". Follow-up complete on 2026-09-30, before the as-of day 2026-10-31.
    New clients of Q3: two enrolled 1 Jul 2026, one contacted on 10 Jul -> 1 of 2 within 30 days,
    also "Not reliable"."""
    cohort = [enrol(program_a, staffed["s1"], D(2025, 2, 3), closed=D(2025, 6, 30)) for _ in range(3)]
    f.JobStartFactory(client=cohort[0], start_date=D(2025, 6, 1), end_date=D(2025, 6, 20), end_type="quit")
    new = [enrol(program_a, staffed["s1"], D(2026, 7, 1)) for _ in range(2)]
    employer = f.EmployerFactory(program=program_a, name="Cohort employer")
    f.EmployerContactFactory(
        employer=employer, contact_date=D(2026, 7, 10), specialist=staffed["s1"], face_to_face=True, clients=[new[0]]
    )


def test_dashboard_shows_the_cohort_rate_with_its_own_benchmark_and_small_numbers_flags(
    client, supervisor_a, small_cohort
):
    response = dashboard(client, supervisor_a)
    cards = {c.key: c for c in response.context["cards"]}
    cohort = cards["cumulative_rate"]
    assert cohort.value == "33.3%"
    assert cohort.band["code"] == "too_few" and cohort.band["label"] == "Not reliable: fewer than 10 clients"
    assert "1 of 3 clients enrolled in" in cohort.note and "job within 18 months" in cohort.note
    assert "≈60%" in cohort.note and "follow-up complete" in cohort.note and "provisional" not in cohort.note
    share = cards["first_contact_within_target"]
    assert share.value == "50.0%" and share.band["code"] == "too_few"
    assert cards["employment_rate"].label != cohort.label  # two different measures, two labels
    page = response.content.decode()
    assert "Not reliable: fewer than 10 clients" in page

    export = client.get(reverse("reports:dashboard_export", args=["cards", "csv"]), {"quarter": "2026Q3"})
    rows = {r[0]: r for r in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))}
    assert rows[cohort.label][4].startswith("Not reliable: fewer than 10 clients")


def test_snapshot_flags_the_small_cohort_instead_of_judging_it(program_a, small_cohort):
    data, _bench, _version = build_snapshot(f.QuarterlyReportFactory(program=program_a, year=2026, quarter=3))
    rows = {row["key"]: row for row in data["comparison"]}
    assert rows["cohort_rate"]["status"] == "too_few"
    assert rows["cohort_rate"]["status_label"] == "Not reliable: fewer than 10 clients"
    assert "Not reliable" in rows["first_contact"]["note"]
    # The staff's contacts plus the cohort's one (S1, 10 Jul) over 184 / 7 = 26.3 FTE-weeks.
    assert rows["employer_contacts"]["note"] == "5 contacts, 3 specialists (26.3 full-time-equivalent weeks)."


def test_a_cohort_of_ten_is_judged_against_60_percent(client, program_a, supervisor_a, staffed):
    # Ten clients enrolled in Feb 2025, six with a job within 18 months -> 60% >= 60%: meets.
    cohort = [enrol(program_a, staffed["s1"], D(2025, 2, 3), closed=D(2025, 6, 30)) for _ in range(10)]
    for c in cohort[:6]:
        f.JobStartFactory(client=c, start_date=D(2025, 6, 1), end_date=D(2025, 6, 20), end_type="quit")
    card = next(c for c in dashboard(client, supervisor_a).context["cards"] if c.key == "cumulative_rate")
    assert card.value == "60.0%" and card.band["code"] == "meets_cumulative"


def test_a_former_specialists_row_links_to_their_dashboard(client, supervisor_a, staffed):
    # S3 left on 15 Aug with no clients: still one of Q3's staff, so their row's link is not a 404.
    row = next(
        r for r in dashboard(client, supervisor_a).context["specialist_rows"] if r["specialist"] == staffed["s3"]
    )
    assert client.get(row["urls"]["dashboard"]).status_code == 200
