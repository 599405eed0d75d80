"""Quarterly report snapshots: figures, versions, immutability, failures and retries, tasks."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError

from benchmarks.models import BenchmarkSettings
from core.errors import RuleViolation
from outcomes import metrics
from programs.models import Program, Role
from reports.models import (
    ImmutableSnapshotError,
    QuarterClose,
    QuarterlyReport,
    ReportStatus,
    ReportTrigger,
)
from reports.quarterly import closing, notifications, services, snapshots, tasks

from .. import factories as f
from ..quarterly_data import COHORT_CODE, YEAR, Q, build_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Request a program report and run what commits trigger (eager Celery, as in `make run`)."""

    def run(program, period, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            report, created = services.request_program_report(program, period, **kwargs)
        report.refresh_from_db()
        return report

    return run


def test_report_figures_equal_the_metrics_module(program_a, made, period, generate):
    report = generate(program_a, period)
    assert report.status == ReportStatus.DONE, report.error
    programs = Program.objects.filter(pk=program_a.pk)
    as_of = period.end
    data = report.data

    assert data["totals"] == metrics.outcomes(programs, period, as_of=as_of).as_dict()
    assert data["totals"]["active_caseload"] == 6 and data["totals"]["working"] == 3
    by_specialist = metrics.outcomes_by_specialist(programs, period, as_of=as_of)
    assert [row["id"] for row in data["by_specialist"]] == [user.pk for user, _ in by_specialist]
    assert [row["outcomes"] for row in data["by_specialist"]] == [o.as_dict() for _, o in by_specialist]
    trend = metrics.employment_rate_trend(programs, period, 4)
    assert [(t["code"], t["rate"]) for t in data["trend"]] == [(p.code, r.as_dict()) for p, r in trend]
    band = metrics.rate_band(metrics.outcomes(programs, period, as_of=as_of).employment_rate)
    assert data["band"] == {"code": band.code, "label": band.label}

    # The cohort whose 18-month follow-up ends in this quarter, labelled as such.
    cohort = metrics.cohort_rate(programs, metrics.Period.parse(COHORT_CODE), as_of=as_of)
    assert data["cohort"]["period"]["code"] == COHORT_CODE
    assert data["cohort"]["rate"] == cohort.rate.as_dict() == {**cohort.rate.as_dict(), "numerator": 1}
    assert data["cohort"]["follow_up_complete"] is True

    quality = metrics.data_quality(programs, period).as_dict()
    for key, expected in quality.items():
        assert data["data_quality"][key]["ids"] == expected["ids"]
        assert data["data_quality"][key]["count"] == expected["count"] == 1
    assert data["data_quality"]["enrollments_missing_dates"]["records"][0]["client"] == f"DQ-{program_a.code}"
    assert data["data_quality"]["jobs_missing_fields"]["records"][0]["missing"] == "hours per week"

    assert report.definition_version == metrics.DEFINITION_VERSION
    assert report.benchmarks == metrics.benchmark_snapshot()
    assert report.benchmarks["quarterly_rate_minimal"] == 31.0
    assert report.finished_at and report.started_at and report.attempts == 1
    # No client names anywhere in the snapshot.
    assert "Quarterlyname" not in str(report.data) and "Zelda" not in str(report.data)


def test_benchmark_comparison_uses_the_settings(program_a, made, period, generate):
    settings_row = BenchmarkSettings.current()
    settings_row.employer_contacts_per_week = 1
    settings_row.caseload_max = 2
    settings_row.save()
    report = generate(program_a, period)
    rows = {row["key"]: row for row in report.data["comparison"]}
    assert set(rows) == {"quarterly_rate", "cohort_rate", "employer_contacts", "caseload", "first_contact"}
    assert rows["quarterly_rate"]["status"] == report.data["band"]["code"]
    assert "31% minimal" in rows["quarterly_rate"]["benchmark"]
    assert "≈60%" in rows["cohort_rate"]["benchmark"] and COHORT_CODE[:4] in rows["cohort_rate"]["note"]
    assert "different measure" in rows["cohort_rate"]["note"]
    assert rows["employer_contacts"]["benchmark"] == "≥ 1"
    assert rows["caseload"]["benchmark"] == "≤ 2"
    # 3 clients per specialist on the last day > 2: below the (edited) caseload benchmark.
    assert rows["caseload"]["status"] == "below"
    assert report.benchmarks["caseload_max"] == 2


def test_done_snapshot_is_immutable_and_regenerating_makes_v2(program_a, made, period, generate):
    v1 = generate(program_a, period)
    frozen = dict(v1.data)
    v1.data = {"tampered": True}
    with pytest.raises(ImmutableSnapshotError):
        v1.save()
    v1.refresh_from_db()
    v1.status = ReportStatus.FAILED
    with pytest.raises(ImmutableSnapshotError):
        v1.save(update_fields=["status"])
    # New records change the figures of a new version, never the old one.
    f.JobStartFactory(client=made["clients"][4], employer=made["employer"], start_date=datetime.date(2026, 3, 3))
    v2 = generate(program_a, period)
    v1.refresh_from_db()
    assert (v1.version, v2.version) == (1, 2)
    assert v1.data == frozen
    assert v2.data["totals"]["working"] == v1.data["totals"]["working"] + 1
    assert QuarterlyReport.objects.filter(program=program_a).count() == 2


def test_running_the_same_report_twice_leaves_one_snapshot(program_a, made, period, generate):
    report = generate(program_a, period)
    finished = report.finished_at
    assert tasks.generate_program_report.apply(args=[report.pk]).get() == ReportStatus.DONE
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.finished_at == finished and report.attempts == 1
    assert QuarterlyReport.objects.filter(program=program_a, year=YEAR, quarter=Q).count() == 1


def test_a_pending_request_is_not_duplicated(program_a, period):
    first, created = services.request_program_report(program_a, period)
    second, created_again = services.request_program_report(program_a, period)
    assert created and not created_again and first.pk == second.pk
    assert first.status == ReportStatus.QUEUED and first.dispatched_at is None


def test_a_failed_task_records_its_error_and_a_retry_succeeds(program_a, made, period, monkeypatch, generate):
    def broken(*args, **kwargs):
        raise ValueError("metrics exploded")

    monkeypatch.setattr(snapshots.metrics, "outcomes_by_program", broken)  # a program report's totals
    report = generate(program_a, period)
    assert report.status == ReportStatus.FAILED
    assert report.error == "ValueError: metrics exploded"
    assert report.data == {} and report.finished_at is not None
    monkeypatch.undo()
    assert tasks.generate_program_report.apply(args=[report.pk]).get() == ReportStatus.DONE
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.error == "" and report.attempts == 2
    assert report.version == 1


def test_database_errors_are_retried_with_backoff(program_a, made, period, monkeypatch):
    report, _ = services.request_program_report(program_a, period)
    calls = []
    real = snapshots.build_snapshot

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshots, "build_snapshot", flaky)
    monkeypatch.setattr(tasks, "backoff", lambda retries: 0)
    # Eagerly, Celery runs the retry at once (throw=False, as the embedded mode dispatches).
    tasks.generate_program_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert len(calls) == 2
    assert report.status == ReportStatus.DONE and report.attempts == 2
    assert tasks.generate_program_report.acks_late is True
    assert tasks.generate_program_report.max_retries == tasks.MAX_RETRIES


def test_backoff_grows_exponentially_and_is_capped():
    assert tasks.BACKOFF_BASE / 2 <= tasks.backoff(0) <= tasks.BACKOFF_BASE
    assert tasks.BACKOFF_BASE * 4 <= tasks.backoff(3) <= tasks.BACKOFF_BASE * 8
    assert tasks.backoff(30) <= tasks.BACKOFF_MAX


def test_the_supervisors_get_an_email_without_client_names(program_a, made, period, generate):
    f.make_user(Role.SUPERVISOR, program=f.ProgramFactory(), email="elsewhere@example.test")
    report = generate(program_a, period)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [made["supervisor"].email]
    assert program_a.name in message.subject and "2026 Q1" in message.subject
    assert f"/reports/quarterly/{report.pk}/" in message.body
    assert str(report.data["totals"]["employment_rate"]["percent"]) in message.body
    assert "Quarterlyname" not in message.body and "Zelda" not in message.body
    report.refresh_from_db()
    assert report.notified_at is not None
    assert notifications.notify_report_ready(report.pk) == 0  # once only
    assert len(mail.outbox) == 1


def test_quarter_close_fans_out_and_rolls_the_region_up(
    region, program_a, made, period, django_capture_on_commit_callbacks
):
    program_2 = f.ProgramFactory(agency__region=region, name="Program A2")
    build_program(program_2, clients=3)
    f.ProgramFactory(agency__region=region, name="Closed program", is_active=False)
    trainer = f.make_user(Role.TRAINER, region=region, email="trainer@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        rollups = closing.close_quarter(period)
    assert len(rollups) == 1
    rollup = QuarterlyReport.objects.get(pk=rollups[0].pk)
    assert rollup.region == region and rollup.status == ReportStatus.DONE, rollup.error
    children = list(rollup.program_reports.order_by("program__name"))
    assert [c.program for c in children] == [program_a, program_2]
    assert all(c.status == ReportStatus.DONE and c.trigger == ReportTrigger.QUARTER_CLOSE for c in children)
    programs = Program.objects.filter(pk__in=[program_a.pk, program_2.pk])
    assert rollup.data["totals"] == metrics.outcomes(programs, period, as_of=metrics.period_as_of(period)).as_dict()
    by_program = metrics.outcomes_by_program(programs, period, as_of=metrics.period_as_of(period))
    assert {row["id"]: row["outcomes"] for row in rollup.data["by_program"]} == {
        pk: o.as_dict() for pk, o in by_program.items()
    }
    assert [r["status"] for r in rollup.data["program_reports"]] == ["done", "done"]
    assert any(m.to == [trainer.email] for m in mail.outbox)
    # Idempotent: the same close again creates nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert closing.close_quarter(period) == []
    assert QuarterClose.objects.filter(region=region).count() == 1
    assert QuarterlyReport.objects.filter(year=YEAR, quarter=Q).count() == 3


def test_the_rollup_waits_for_its_programs(region, program_a, period):
    rollup, _ = services.request_region_report(region, period, dispatch=False)
    child = QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q, rollup=rollup)
    assert services.run_report(rollup.pk) == ReportStatus.QUEUED
    assert services.dispatch_reports([rollup.pk]) == 0
    assert rollup.pk not in services.pending_reports().values_list("pk", flat=True)
    services.run_report(child.pk)
    assert rollup.pk in services.pending_reports().values_list("pk", flat=True)


def test_beat_schedule_has_the_daily_check_and_the_dispatcher(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks_scheduled = {entry["task"] for entry in schedule.values()}
    assert {"reports.check_quarter_close", "reports.dispatch_pending_reports"} <= tasks_scheduled
    check = next(e for e in schedule.values() if e["task"] == "reports.check_quarter_close")
    assert check["schedule"].hour == {settings.QUARTER_CLOSE_CHECK_HOUR}  # daily
    assert len(check["schedule"].day_of_month) == 31
    from ips_site.celery import app

    assert "reports.check_quarter_close" in app.tasks and "reports.dispatch_pending_reports" in app.tasks


@pytest.mark.parametrize(
    ("today", "closes"),
    [
        ("2026-04-05", "2026Q1"),
        ("2026-07-05", "2026Q2"),
        ("2026-04-04", None),
        ("2026-01-01", None),
        # A day missed (beat down on the 5th) is caught up on the next run.
        ("2026-04-06", "2026Q1"),
        ("2026-06-30", "2026Q1"),
        ("2027-01-05", "2026Q4"),
    ],
)
def test_the_daily_check_closes_from_the_configured_day_on(today, closes, program_a):
    assert BenchmarkSettings.current().report_day_after_quarter == 5
    result = tasks.check_quarter_close.apply(kwargs={"today": today}).get()
    if closes is None:
        assert result is None
        assert not QuarterClose.objects.exists()
    else:
        close = QuarterClose.objects.get()
        assert f"{close.year}Q{close.quarter}" == closes
        assert result == [close.rollup_id]
        # Running the same day again (beat twice, a redelivery) does nothing more.
        assert tasks.check_quarter_close.apply(kwargs={"today": today}).get() == []


def test_the_close_day_follows_the_settings(program_a):
    bench = BenchmarkSettings.current()
    bench.report_day_after_quarter = 12
    bench.quarter_start_month = 7
    bench.save()
    assert closing.check_quarter_close(datetime.date(2026, 4, 5)) is None
    assert closing.check_quarter_close(datetime.date(2026, 4, 12)) is not None
    assert closing.check_quarter_close(datetime.date(2026, 4, 13)) == []  # already closed
    close = QuarterClose.objects.get()
    # With fiscal quarters from July, Jan-Mar 2026 is 2025 Q3.
    assert (close.year, close.quarter) == (2025, 3)


def test_requesting_a_quarter_that_has_not_ended_is_refused():
    with pytest.raises(RuleViolation):
        services.parse_quarter("2026Q2", today=datetime.date(2026, 6, 30))
    assert services.parse_quarter("2026Q2", today=datetime.date(2026, 7, 1)).code == "2026Q2"
    with pytest.raises(RuleViolation):
        services.parse_quarter("2026-03")


def test_database_errors_after_the_last_retry_mark_the_report_failed(program_a, period, monkeypatch):
    report, _ = services.request_program_report(program_a, period)

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(snapshots, "build_snapshot", down)
    monkeypatch.setattr(tasks, "backoff", lambda retries: 0)
    result = tasks.generate_program_report.apply(args=[report.pk], throw=False)
    assert isinstance(result.result, OperationalError)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("OperationalError: could not connect")
    assert report.attempts == tasks.MAX_RETRIES + 1


def test_generation_runs_a_bounded_number_of_queries(program_a, period, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = f.ProgramFactory(agency=program_a.agency, name="Small")
    build_program(small, clients=2)
    build_program(program_a, clients=12)
    for extra in range(4):
        f.make_user(Role.SPECIALIST, program=program_a, username=f"extra_spec_{extra}")
    counts = []
    for program in (small, program_a):
        report, _ = services.request_program_report(program, period)
        with CaptureQueriesContext(connection) as queries:
            assert services.run_report(report.pk) == ReportStatus.DONE
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_operator_command_generates_new_versions(program_a, made, period, region, capsys):
    from django.core.management import call_command

    call_command("generate_quarterly_reports", "--quarter", f"{YEAR}Q{Q}", "--program", str(program_a.pk), "--sync")
    call_command("generate_quarterly_reports", "--quarter", f"{YEAR}Q{Q}", "--region", str(region.pk), "--sync")
    output = capsys.readouterr().out
    assert f"{program_a.name} {YEAR}Q{Q} v1: done" in output and f"{program_a.name} {YEAR}Q{Q} v2: done" in output
    rollup = QuarterlyReport.objects.get(region=region)
    assert rollup.status == ReportStatus.DONE and rollup.trigger == ReportTrigger.OPERATOR
    assert QuarterlyReport.objects.filter(program=program_a, status=ReportStatus.DONE).count() == 2
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_quarterly_reports", "--quarter", "2099Q1")
