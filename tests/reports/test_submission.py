"""Quarterly submission export (issue #15): one row per program with the measures of the reference's
section 3, for 2026Q3 (1 Jul - 30 Sep 2026), on a small fixture whose figures are counted by hand below.

Program A, 14 clients:
  c1-c10 enrolled 1 Jun, open              -> active (10)
  c11    enrolled 10 Aug                   -> active, new enrollment
  c12    enrolled 10 Jan, closed 15 Jul    -> active (closed inside), closure
  c13    enrolled 10 Jan, closed 20 Jun    -> not active (closed before the quarter)
  c14    enrolled 5 Oct                    -> not active (after the quarter)
  active_caseload = 12, new_enrollments = 1, closures = 1
Jobs (competitive unless said):
  c1  started 1 May, still held (employed at enrollment)   -> working, no start in the quarter
  c2  started 20 Jul                                       -> working, start, first start
  c3  started 1 Aug ended 20 Aug; started 10 Sep           -> working, 2 starts, 1 first start
  c12 started 5 Jul                                        -> working, start, first start
  c4  ended 15 Jun                                         -> not working
  c5  non-competitive, started 10 Jul                      -> not counted anywhere
  working = 4 (c1 c2 c3 c12), job_starts = 4, first_job_starts = 3
  rate = 4 / 12 = 33.3% -> Minimal (31 <= 33.3 < 41; 12 clients >= 10, so banded)
In education: c6 (school from 1 Aug) -> 1.
Employer contacts (face to face, by program A's specialist, in the quarter): 2 Jul, 15 Aug, 30 Sep -> 3
  (a phone contact on 3 Aug and a visit on 1 Oct do not count).
IPS Grow: over the clients out of work at enrollment, all active but c1: 11; working among them c2 c3 c12
  = 3 -> 3 / 11 = 27.3% -> below IPS Grow's 40%.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from clients.models import ClosureReason
from outcomes.periods import Period
from programs.models import Role
from reports.models import QuarterlyReport, ReportStatus
from reports.submission.selectors import HEADER

from .. import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
QUARTER = "2026Q3"
# Quarters around the pinned "today" (calendar quarters: the default benchmark settings start Q1 in January).
# A submission is of an ended quarter: the running and the next one are refused, the last ended one served.
RUNNING = Period.quarter_containing(timezone.localdate(), 1)
NEXT = Period.quarter_containing(RUNNING.end + datetime.timedelta(days=1), 1)
LAST_ENDED = RUNNING.previous()


def enrol(program, specialist, enrolled, closed=None, employed=False):
    client = f.ClientFactory(program=program)
    f.EnrollmentFactory(
        client=client,
        enrollment_date=enrolled,
        referral_date=enrolled - datetime.timedelta(days=3),
        closure_date=closed,
        closure_reason=ClosureReason.GOAL_MET if closed else "",
        specialist=specialist,
        employed_at_enrollment=employed,
    )
    return client


def job(client, start, end=None, **kwargs):
    return f.JobStartFactory(client=client, start_date=start, end_date=end, end_type="quit" if end else "", **kwargs)


@pytest.fixture
def quarter_world(program_a, specialist_a, program_b, specialist_b, region):
    c = {n: enrol(program_a, specialist_a, D(2026, 6, 1), employed=(n == 1)) for n in range(1, 11)}
    c[11] = enrol(program_a, specialist_a, D(2026, 8, 10))
    c[12] = enrol(program_a, specialist_a, D(2026, 1, 10), closed=D(2026, 7, 15))
    c[13] = enrol(program_a, specialist_a, D(2026, 1, 10), closed=D(2026, 6, 20))
    c[14] = enrol(program_a, specialist_a, D(2026, 10, 5))
    job(c[1], D(2026, 5, 1))
    job(c[2], D(2026, 7, 20))
    job(c[3], D(2026, 8, 1), D(2026, 8, 20))
    job(c[3], D(2026, 9, 10))
    job(c[12], D(2026, 7, 5))
    job(c[4], D(2026, 3, 1), D(2026, 6, 15))
    job(c[5], D(2026, 7, 10), is_competitive=False)
    f.EducationActivityFactory(client=c[6], start_date=D(2026, 8, 1))
    employer = f.EmployerFactory(program=program_a)
    for day in (D(2026, 7, 2), D(2026, 8, 15), D(2026, 9, 30), D(2026, 10, 1)):
        f.EmployerContactFactory(employer=employer, specialist=specialist_a, contact_date=day)
    f.EmployerContactFactory(employer=employer, specialist=specialist_a, contact_date=D(2026, 8, 3), face_to_face=False)
    # Program C: same region, one client working; program B: another region (must never appear).
    program_c = f.ProgramFactory(agency__region=region, name="Program C", code="program-c")
    spec_c = f.make_user(Role.SPECIALIST, program=program_c, username="spec_c")
    job(enrol(program_c, spec_c, D(2026, 2, 1)), D(2026, 8, 3))
    job(enrol(program_b, specialist_b, D(2026, 2, 1)), D(2026, 8, 3))
    return {"a": program_a, "c": program_c, "b": program_b}


def url(kind, code, variant="ips", fmt="csv", quarter=QUARTER):
    return reverse(f"reports:submission_{kind}", args=[code, quarter, variant, fmt])


def csv_rows(response):
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["program_code"]: row for row in rows}


A_EXPECTED = {
    "quarter": "2026Q3",
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "active_caseload": "12",
    "working": "4",
    "job_starts": "4",
    "first_job_starts": "3",
    "new_enrollments": "1",
    "closures": "1",
    "in_education": "1",
    "employer_contacts": "3",
    "rate_numerator": "4",
    "rate_denominator": "12",
    "employment_rate": "33.3",
    "employment_rate_band": "Minimal",
    "denominator": "all_active",
}


def test_program_submission_has_the_hand_counted_figures(client, quarter_world, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(url("program", quarter_world["a"].code))
    assert response["Content-Disposition"].startswith('attachment; filename="submission-ips-')
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == HEADER
    rows = csv_rows(response)
    assert list(rows) == [quarter_world["a"].code]
    row = rows[quarter_world["a"].code]
    assert {k: row[k] for k in A_EXPECTED} == A_EXPECTED
    assert row["program"] == "Program A" and row["source"].startswith("Live figures as of ")
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(quarter_world["a"].pk), detail__export="submission"
    ).exists()


def test_ips_grow_variant_counts_over_clients_out_of_work_at_enrollment(client, quarter_world, supervisor_a):
    client.force_login(supervisor_a)
    row = csv_rows(client.get(url("program", quarter_world["a"].code, "ips-grow")))[quarter_world["a"].code]
    assert (row["active_caseload"], row["working"]) == ("12", "4")  # the counts stay over every active client
    assert (row["rate_numerator"], row["rate_denominator"], row["employment_rate"]) == ("3", "11", "27.3")
    assert row["employment_rate_band"] == "Below the IPS Grow benchmark"
    assert row["denominator"] == "out_of_work"


def test_region_submission_has_one_row_per_program_of_the_region_in_xlsx(client, quarter_world, trainer):
    client.force_login(trainer)
    response = client.get(url("region", quarter_world["a"].agency.region.code, fmt="xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    rows = {r[0]: dict(zip(HEADER, r, strict=True)) for r in values[1:]}
    assert set(rows) == {quarter_world["a"].code, "program-c"}  # program B is another region's
    a = rows[quarter_world["a"].code]
    assert (a["active_caseload"], a["working"], a["employment_rate"]) == (12, 4, 33.3)
    c = rows["program-c"]
    assert (c["active_caseload"], c["working"], c["job_starts"], c["employment_rate"]) == (1, 1, 1, 100.0)
    assert c["employment_rate_band"].startswith("Not reliable")  # 1 client: never banded
    audited = AuditEvent.objects.filter(action=Action.EXPORT, detail__export="submission")
    assert set(audited.values_list("object_id", flat=True)) == {str(quarter_world["a"].pk), str(quarter_world["c"].pk)}


def test_live_figures_equal_the_regional_dashboards(client, quarter_world, trainer):
    client.force_login(trainer)
    dashboard = client.get(reverse("reports:region"), {"quarter": QUARTER}).context["rows"]
    exported = csv_rows(client.get(url("region", quarter_world["a"].agency.region.code)))
    for row in dashboard:
        mine = exported[row["program"].code]
        assert int(mine["active_caseload"]) == row["caseload"]
        assert int(mine["working"]) == row["working"]
        assert int(mine["job_starts"]) == row["starts"]
        assert float(mine["employment_rate"]) == row["rate"].percent


def test_a_done_snapshot_is_used_when_it_counts_the_variants_denominator(client, quarter_world, supervisor_a, trainer):
    program = quarter_world["a"]

    def snapshot(version, active, status=ReportStatus.DONE):
        totals = {
            "active_caseload": active,
            "working": 5,
            "job_starts": 6,
            "first_job_starts": 4,
            "new_enrollments": 2,
            "closures": 0,
            "in_education": 0,
            "employer_contacts": 9,
            "employment_rate": {"numerator": 5, "denominator": active, "value": 5 / active, "percent": None},
        }
        return QuarterlyReport.objects.create(
            program=program,
            year=2026,
            quarter=3,
            version=version,
            status=status,
            definition_version="2026.test",
            data={
                "totals": totals,
                "band": {"code": "average", "label": "Average"},
                "denominator": {"code": "all_active", "label": "All active clients"},
            },
            finished_at=timezone.now(),
        )

    snapshot(1, 11)
    snapshot(2, 10)  # the latest done version is the one submitted
    snapshot(3, 99, status=ReportStatus.FAILED)
    QuarterlyReport.objects.create(program=quarter_world["c"], year=2026, quarter=3, status=ReportStatus.DONE, data={})
    client.force_login(supervisor_a)
    row = csv_rows(client.get(url("program", program.code)))[program.code]
    assert (row["active_caseload"], row["working"], row["employer_contacts"]) == ("10", "5", "9")
    assert (row["rate_numerator"], row["rate_denominator"], row["employment_rate"]) == ("5", "10", "50.0")
    assert row["employment_rate_band"] == "Average" and row["definition_version"] == "2026.test"
    assert row["source"].startswith("Quarterly report 2026Q3 v2")
    # The snapshot counted the rate over all active clients: the IPS Grow file is read live.
    grow = csv_rows(client.get(url("program", program.code, "ips-grow")))[program.code]
    assert grow["source"].startswith("Live figures") and grow["rate_denominator"] == "11"
    # A done snapshot without these figures (an older snapshot shape) is read live, not a server error.
    client.force_login(trainer)
    c = csv_rows(client.get(url("program", "program-c")))["program-c"]
    assert c["source"].startswith("Live figures") and c["working"] == "1"


def test_access_other_programs_regions_and_roles_are_404(client, quarter_world, supervisor_a, specialist_a, trainer):
    a, b = quarter_world["a"], quarter_world["b"]
    region = a.agency.region.code
    client.force_login(supervisor_a)
    assert client.get(url("program", b.code)).status_code == 404  # another program
    assert client.get(url("program", "program-c")).status_code == 404  # a sibling program of the region
    assert client.get(url("region", region)).status_code == 404  # a supervisor is not a region role
    client.force_login(specialist_a)
    assert client.get(url("program", a.code)).status_code == 404  # specialists do not see reports
    client.force_login(trainer)
    assert client.get(url("program", a.code)).status_code == 200
    assert client.get(url("program", b.code)).status_code == 404  # another region's program
    assert client.get(url("region", b.agency.region.code)).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(b.pk)).exists()


@pytest.mark.parametrize(
    "variant,fmt,quarter",
    [
        ("nope", "csv", QUARTER),
        ("ips", "pdf", QUARTER),
        ("ips", "csv", RUNNING.code),  # started but not ended: its figures are not final
        ("ips", "csv", NEXT.code),
        ("ips", "csv", "2026-07"),
    ],
)
def test_bad_variant_format_or_quarter_is_404(client, quarter_world, supervisor_a, variant, fmt, quarter):
    client.force_login(supervisor_a)
    assert client.get(url("program", quarter_world["a"].code, variant, fmt, quarter)).status_code == 404


def test_the_last_ended_quarter_is_served(client, quarter_world, trainer):
    client.force_login(trainer)
    response = client.get(url("program", quarter_world["a"].code, quarter=LAST_ENDED.code))
    assert response.status_code == 200
    assert csv_rows(response)[quarter_world["a"].code]["quarter"] == LAST_ENDED.code


def test_links_on_the_quarterly_report_and_the_regional_view(client, quarter_world, trainer):
    client.force_login(trainer)
    region = quarter_world["a"].agency.region
    page = client.get(reverse("reports:region"), {"quarter": QUARTER}).content.decode()
    assert url("region", region.code, "ips-grow", "xlsx") in page
    # The running quarter can be viewed, but has no submission yet: no links to a 404.
    page = client.get(reverse("reports:region"), {"quarter": RUNNING.code})
    assert page.context["period"] == RUNNING
    assert "/reports/submission/" not in page.content.decode()
    report = QuarterlyReport.objects.create(
        program=quarter_world["a"], year=2026, quarter=3, status=ReportStatus.DONE, data={}, finished_at=timezone.now()
    )
    page = client.get(reverse("reports:quarterly_detail", args=[report.pk]))
    assert url("program", quarter_world["a"].code) in page.content.decode()
