"""A quarter's program reports computed together (outcomes/quarter.py, snapshots.build_program_snapshots,
reports/quarterly/batches.py): each program's snapshot equals the one built per program, by the
metrics module's per-program functions, whatever programs it is computed with."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.models import BenchmarkSettings, Denominator
from outcomes import metrics, quarter
from programs.models import Membership, Program, Role
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import batches, closing, services, snapshots

from .. import factories as f
from ..quarterly_data import YEAR, Q, build_program

pytestmark = pytest.mark.django_db
D = datetime.date


def per_program_snapshot(report, today=None):
    """The program report's snapshot as build_snapshot made it before reports were computed together:
    every figure from the metrics module's functions for this program alone."""
    bench = BenchmarkSettings.current()
    period = snapshots.report_period(report, bench)
    programs = Program.objects.filter(pk=report.program_id)
    as_of = snapshots.as_of_for(period, today)
    denominator = bench.employment_rate_denominator
    totals = metrics.outcomes(programs, period, as_of=as_of, benchmarks=bench)
    cohort_period = snapshots.cohort_period_for(period, bench.cumulative_months)
    cohort = metrics.cohort_rate(programs, cohort_period, months=bench.cumulative_months, as_of=as_of, benchmarks=bench)
    program = Program.objects.select_related("agency__region").get(pk=report.program_id)
    quality = metrics.data_quality(programs, period)
    counts = quality.as_dict()

    def band(rate):
        found = metrics.rate_band(rate, bench)
        return {"code": found.code, "label": found.label}

    def missing(hours, group):
        return ", ".join(
            n for n, absent in (("hours per week", hours is None), ("occupation group", not group)) if absent
        )

    iso = snapshots._iso
    data = {
        "scope": {
            "kind": "program",
            "id": program.pk,
            "name": program.name,
            "code": program.code,
            "agency": program.agency.name,
            "region": program.agency.region.name,
        },
        "period": {**period.as_dict(), "start_month": bench.quarter_start_month},
        "as_of": as_of.isoformat(),
        "denominator": {"code": denominator, "label": Denominator(denominator).label},
        "totals": totals.as_dict(),
        "band": band(totals.employment_rate),
        "trend": [
            {"code": each.code, "label": each.label, "rate": rate.as_dict(), "band": band(rate)}
            for each, rate in metrics.employment_rate_trend(programs, period, 4, benchmarks=bench)
        ],
        "cohort": {
            "period": cohort_period.as_dict(),
            "months": cohort.months,
            "rate": cohort.rate.as_dict(),
            "follow_up_complete": cohort.follow_up_complete,
            "benchmark": float(bench.cumulative_rate),
        },
        "data_quality": {
            "enrollments_missing_dates": {
                **counts["enrollments_missing_dates"],
                "records": [
                    {"id": pk, "client": number, "date": iso(day), "missing": "enrollment date"}
                    for pk, number, day in quality.enrollments_missing_dates.order_by("pk").values_list(
                        "pk", "client__record_number", "referral_date"
                    )
                ],
            },
            "jobs_missing_fields": {
                **counts["jobs_missing_fields"],
                "records": [
                    {"id": pk, "client": number, "date": iso(day), "missing": missing(hours, group)}
                    for pk, number, day, hours, group in quality.jobs_missing_fields.order_by("pk").values_list(
                        "pk", "client__record_number", "start_date", "hours_per_week", "occupation_group"
                    )
                ],
            },
            "contacts_missing_mode": {
                **counts["contacts_missing_mode"],
                "records": [
                    {"id": pk, "client": number, "date": iso(day), "missing": "mode"}
                    for pk, number, day in quality.contacts_missing_mode.order_by("pk").values_list(
                        "pk", "client__record_number", "contact_date"
                    )
                ],
            },
        },
        "by_specialist": [
            {"id": user.pk, "name": str(user), "outcomes": o.as_dict(), "band": band(o.employment_rate)}
            for user, o in metrics.outcomes_by_specialist(programs, period, as_of=as_of, benchmarks=bench)
        ],
    }
    data["comparison"] = snapshots.comparison_rows(data, bench)
    return data, metrics.benchmark_snapshot(bench), metrics.DEFINITION_VERSION


@pytest.fixture
def varied(program_a, region):
    """Five programs of one region: two built alike with different sizes, one empty, one sharing a
    specialist with program A (a membership of both, contacts with both programs' employers, a client in
    each), one with a specialist who left mid-quarter, a re-enrolled client, clients employed at
    enrollment and a part-time specialist."""
    b = f.ProgramFactory(agency__region=region, name="Program Bee")
    empty = f.ProgramFactory(agency__region=region, name="Program Empty")
    shared = f.ProgramFactory(agency__region=region, name="Program Shared")
    moved = f.ProgramFactory(agency__region=region, name="Program Moved")
    made_a = build_program(program_a)
    build_program(b, clients=3)
    build_program(moved, clients=4)
    # A specialist of A who also works half time for "Shared" from February.
    both = made_a["specialists"][0]
    Membership.objects.create(user=both, role=Role.SPECIALIST, program=shared, start_date=D(2026, 2, 1), fte="0.5")
    own = f.make_user(Role.SPECIALIST, program=shared, first_name="Olga", last_name="Own")
    employer = f.EmployerFactory(program=shared)
    for person, day in ((both, D(2026, 2, 5)), (both, D(2026, 1, 15)), (own, D(2026, 3, 2))):
        f.EmployerContactFactory(employer=employer, specialist=person, contact_date=day)
    for index, (person, employed) in enumerate(((both, True), (own, False), (own, True))):
        client = f.ClientFactory(program=shared)
        f.EnrollmentFactory(
            client=client, enrollment_date=D(2026, 2, 3 + index), specialist=person, employed_at_enrollment=employed
        )
        if index < 2:
            f.JobStartFactory(client=client, employer=employer, start_date=D(2026, 3, 1), hourly_wage=Decimal("21"))
    # "Moved": a specialist who left on 15 Feb, and a client closed then re-enrolled within the quarter.
    leaver = f.make_user(Role.SPECIALIST, program=moved, first_name="Lee", last_name="Leaver")
    Membership.objects.filter(user=leaver).update(end_date=D(2026, 2, 15), is_active=False)
    client = f.ClientFactory(program=moved)
    f.EnrollmentFactory(
        client=client,
        enrollment_date=D(2025, 11, 3),
        specialist=leaver,
        closure_date=D(2026, 1, 20),
        closure_reason="other",
    )
    f.EnrollmentFactory(client=client, enrollment_date=D(2026, 3, 2), specialist=leaver, employed_at_enrollment=True)
    f.JobStartFactory(client=client, start_date=D(2026, 3, 10), end_date=D(2026, 3, 20), end_type="quit")
    return [program_a, b, empty, shared, moved]


def program_reports(programs):
    return [QuarterlyReport.objects.create(program=p, year=YEAR, quarter=Q, version=1) for p in programs]


@pytest.mark.parametrize("denominator", [Denominator.ALL_ACTIVE, Denominator.OUT_OF_WORK])
def test_each_programs_snapshot_equals_the_per_program_one(varied, denominator):
    bench = BenchmarkSettings.current()
    bench.employment_rate_denominator = denominator
    bench.save()
    reports = program_reports(varied)
    # The shared specialist makes two groups of programs for the by-specialist figures.
    period = metrics.Period.quarter(YEAR, Q)
    assert len(quarter._batches(quarter._people_by_program([p.pk for p in varied], period))) == 2
    together = snapshots.build_program_snapshots(reports)
    assert set(together) == {r.pk for r in reports}
    for report in reports:
        expected = per_program_snapshot(report)
        assert together[report.pk] == expected, report.program.name
        assert snapshots.build_snapshot(report) == expected  # a single program's regeneration: a set of one
    shared = together[reports[3].pk][0]
    assert [row["name"] for row in shared["by_specialist"]] == ["Olga Own", "Sam Spec"]
    assert shared["totals"]["specialist_fte"] == 1.5 and shared["totals"]["employer_contacts"] == 2
    assert together[reports[2].pk][0]["totals"]["active_caseload"] == 0


def test_the_queries_do_not_grow_with_the_programs(program_a, region):
    small = [f.ProgramFactory(agency__region=region, name=f"Small {n}") for n in range(2)]
    for program in small:
        build_program(program, clients=2)
    more = [f.ProgramFactory(agency__region=region, name=f"More {n}") for n in range(4)]
    for program in more:
        build_program(program, clients=3)
    counts = []
    for programs in (small, more):
        reports = program_reports(programs)
        with CaptureQueriesContext(connection) as queries:
            snapshots.build_program_snapshots(reports)
        counts.append(len(queries))
    assert counts[0] == counts[1] < 40, counts


def test_a_quarter_close_sends_chunks_and_generates_every_report_once(
    program_a, region, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_CHUNK_SIZE = 2
    programs = [program_a] + [f.ProgramFactory(agency__region=region, name=f"Chunk {n}") for n in range(2)]
    for program in programs:
        build_program(program, clients=2)
    with django_capture_on_commit_callbacks(execute=True):
        (rollup,) = closing.close_quarter(metrics.Period.quarter(YEAR, Q), today=D(2026, 4, 20))
    reports = QuarterlyReport.objects.filter(rollup=rollup).order_by("pk")
    assert [r.status for r in reports] == [ReportStatus.DONE] * 3
    assert all(r.attempts == 1 for r in reports)
    # Two chunk messages for three programs: a chunk of two, and one report sent alone.
    assert len({r.task_id for r in reports}) == 2
    rollup.refresh_from_db()
    assert rollup.status == ReportStatus.DONE
    assert [row["status"] for row in rollup.data["program_reports"]] == [ReportStatus.DONE] * 3
    for report in reports:
        assert report.data == per_program_snapshot(report)[0]
        assert report.notified_at is not None
    # A chunk delivered again changes nothing: done reports keep their snapshot and attempts.
    before = {r.pk: (r.data, r.finished_at) for r in reports}
    assert batches.run_reports([r.pk for r in reports]) == [(r.pk, ReportStatus.DONE) for r in reports]
    assert {r.pk: (r.data, r.finished_at, r.attempts) for r in reports.all()} == {
        pk: (*kept, 1) for pk, kept in before.items()
    }


def test_one_programs_error_fails_its_report_only(program_a, region, monkeypatch):
    other = f.ProgramFactory(agency__region=region, name="Other")
    build_program(program_a, clients=2)
    build_program(other, clients=2)
    reports = program_reports([program_a, other])
    real = snapshots.build_program_snapshots

    def built(reports, today=None):
        if len(reports) > 1:
            raise ValueError("a bad record")  # somewhere in the chunk: each report is then built alone
        if reports[0].program_id == other.pk:
            raise ValueError("other's bad record")
        return real(reports, today)

    monkeypatch.setattr(snapshots, "build_program_snapshots", built)
    statuses = dict(batches.run_reports([r.pk for r in reports]))
    assert statuses == {reports[0].pk: ReportStatus.DONE, reports[1].pk: ReportStatus.FAILED}
    failed = QuarterlyReport.objects.get(pk=reports[1].pk)
    assert failed.error == "ValueError: other's bad record" and failed.data == {}


def test_dispatch_groups_program_reports_by_quarter_in_chunks(program_a, region, settings):
    settings.REPORT_CHUNK_SIZE = 2
    others = [f.ProgramFactory(agency__region=region, name=f"P{n}") for n in range(2)]
    rows = [
        QuarterlyReport(pk=n, program=p, year=YEAR, quarter=Q, version=1) for n, p in enumerate([program_a, *others])
    ]
    rows.append(QuarterlyReport(pk=9, program=program_a, year=YEAR, quarter=Q - 1 or 4, version=1))
    rows.append(QuarterlyReport(pk=10, region=region, year=YEAR, quarter=Q, version=1))
    from reports.quarterly import messages

    assert [[r.pk for r in chunk] for chunk in messages.messages(rows)] == [[10], [0, 1], [2], [9]]
    task, args = messages.task_and_args(rows[:2])
    assert task.name == "reports.generate_program_reports" and args == [[0, 1]]
    assert messages.task_and_args(rows[2:3])[0].name == "reports.generate_program_report"
    assert services.dispatch_reports([]) == 0
