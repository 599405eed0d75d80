"""One quarter's reports for all programs through the task code, beside hand-written SQL for the same
headline figures (active caseload, working, employment rate, job starts per program).

    DATABASE_URL=postgres://.../ips_scale .venv/bin/python bench/quarter.py [--region-code SCALE] [--quarter 2026Q3]

The reports go through reports.quarterly.closing.close_quarter (force: a new version each run) for the
dataset's regions. Without CELERY_BROKER_URL the tasks run in this process (Celery eager mode, one
worker's work); with it, a running worker takes them and this script waits until every report is
finished. Figures are measured, never asserted.
"""

from __future__ import annotations

import argparse
import time

from common import quiet_logs, setup_django

HEADLINE_SQL = """
WITH active AS (
    SELECT DISTINCT c.program_id, c.id AS client_id
    FROM clients_enrollment e JOIN clients_client c ON c.id = e.client_id
    WHERE c.program_id IN (SELECT p.id FROM programs_program p JOIN programs_agency a ON a.id = p.agency_id
                           WHERE a.region_id IN ({regions}) AND p.is_active)
      AND e.enrollment_date IS NOT NULL AND e.enrollment_date <= %(end)s
      AND (e.closure_date IS NULL OR e.closure_date >= %(start)s)
), held AS (
    SELECT j.client_id, COUNT(*) FILTER (WHERE j.start_date >= %(start)s) AS starts
    FROM jobs_jobstart j
    WHERE j.is_competitive AND j.start_date <= %(end)s AND (j.end_date IS NULL OR j.end_date >= %(start)s)
    GROUP BY j.client_id
)
SELECT a.program_id, COUNT(*) AS active, COUNT(h.client_id) AS working, COALESCE(SUM(h.starts), 0) AS starts
FROM active a LEFT JOIN held h ON h.client_id = a.client_id
GROUP BY a.program_id
"""


def raw_sql(region_ids: list[int], start: object, end: object) -> dict[int, tuple[int, int, int]]:
    from django.db import connection

    sql = HEADLINE_SQL.format(regions=", ".join(str(int(r)) for r in region_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": start, "end": end})
        return {program: (active, working, starts) for program, active, working, starts in cursor.fetchall()}


def wait_for(report_ids: list[int], timeout: float) -> None:
    from reports.models import QuarterlyReport, ReportStatus

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        left = QuarterlyReport.objects.filter(pk__in=report_ids).exclude(
            status__in=[ReportStatus.DONE, ReportStatus.FAILED]
        )
        if not left.exists():
            return
        time.sleep(0.5)
    raise SystemExit(f"reports not finished after {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region-code", default="SCALE")
    parser.add_argument("--quarter", help="e.g. 2026Q3 (default: the last ended quarter)")
    parser.add_argument("--regions", type=int, help="Only the dataset's first N regions (default: all).")
    parser.add_argument("--sql-repeat", type=int, default=3, help="Runs of the hand-written SQL (best shown).")
    parser.add_argument("--timeout", type=float, default=3600, help="With a worker: seconds to wait.")
    args = parser.parse_args()
    setup_django()
    quiet_logs()
    from celery import current_app

    from outcomes.periods import Period
    from programs.models import Program, Region
    from reports.models import QuarterlyReport, ReportStatus
    from reports.quarterly import closing, services

    period = Period.parse(args.quarter) if args.quarter else services.last_closed_quarter()
    regions = Region.objects.filter(code__startswith=args.region_code).order_by("pk")
    if args.regions:
        regions = regions.filter(pk__in=list(regions.values_list("pk", flat=True)[: args.regions]))
    region_ids = list(regions.values_list("pk", flat=True))
    n_programs = Program.objects.filter(agency__region__in=region_ids, is_active=True).count()
    eager = bool(current_app.conf.task_always_eager)
    print(
        f"quarter: {period.code}, {len(region_ids)} regions, {n_programs} programs, "
        f"{'in process (eager)' if eager else 'Celery worker'}"
    )

    sql_times = []
    for _ in range(max(1, args.sql_repeat)):
        started = time.perf_counter()
        figures = raw_sql(region_ids, period.start, period.end)
        sql_times.append(time.perf_counter() - started)
    sql_seconds = min(sql_times)
    active = sum(f[0] for f in figures.values())
    working = sum(f[1] for f in figures.values())
    starts = sum(f[2] for f in figures.values())
    rate = 100 * working / active if active else 0
    print(
        f"raw SQL:  {sql_seconds:8.2f} s  (best of {len(sql_times)}; {len(figures)} programs, active {active}, "
        f"working {working}, rate {rate:.1f}%, job starts {starts})"
    )

    before = set(QuarterlyReport.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    closing.close_quarter(period, force=True, regions=regions)
    made = list(QuarterlyReport.objects.exclude(pk__in=before).values_list("pk", flat=True))
    if not eager:
        wait_for(made, args.timeout)
    app_seconds = time.perf_counter() - started
    finished = QuarterlyReport.objects.filter(pk__in=made, status=ReportStatus.DONE).count()
    print(f"reports:  {app_seconds:8.2f} s  ({finished} of {len(made)} reports done, programs and regions)")
    print(f"ratio:    {app_seconds / sql_seconds:8.1f} x the raw SQL")
    # The same figures both ways: active caseload, working, job starts of each program's report.
    same = sum(
        1
        for program_id, data in QuarterlyReport.objects.filter(pk__in=made, program__isnull=False).values_list(
            "program_id", "data"
        )
        if figures.get(program_id, (0, 0, 0))
        == (data["totals"]["active_caseload"], data["totals"]["working"], data["totals"]["job_starts"])
    )
    print(f"figures:  the app and the SQL agree for {same} of {n_programs} programs")
    if finished != len(made):
        raise SystemExit("some reports did not finish")


if __name__ == "__main__":
    main()
