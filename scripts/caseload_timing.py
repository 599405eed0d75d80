"""Time the whole-program caseload and the supervisor dashboard's alert counts (docs/performance.md).

    DEBUG=1 MFA_REQUIRED_ROLES= DATABASE_URL=postgres://... .venv/bin/python manage.py benchmark_metrics \\
        --programs 50 --clients-per-program 400 --keep
    DEBUG=1 MFA_REQUIRED_ROLES= DATABASE_URL=postgres://... .venv/bin/python scripts/caseload_timing.py

Uses the dataset kept by benchmark_metrics (region BENCHM): a supervisor of its program with the most open
clients (created once, username h6-bench-supervisor) requests the caseload through the test client 20
times per URL (median, p95, queries, bytes), then `open_alerts_by_specialist` runs 7 times for that
program and for every program of the region (median, queries, and a checksum of the counts)."""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.models import BenchmarkSettings  # noqa: E402
from programs.models import Membership, Program, Role, User  # noqa: E402
from reports.dashboard.supervisor import open_alerts_by_specialist  # noqa: E402

REQUESTS = 20
URLS = [
    "/clients/?scope=program",
    "/clients/?scope=program&sort=alerts",
    "/clients/?scope=program&alert=any&sort=last_contact",
    "/clients/?scope=program&phase=job_seeking&sort=phase",
    "/clients/?scope=program&q=a",
]


def main() -> None:
    setup_test_environment()  # the test client's context capture, and "testserver" allowed
    programs = Program.objects.filter(agency__region__code="BENCHM").order_by("pk")
    busiest = programs.annotate(n=Count("clients", filter=Q(clients__enrollments__closure_date__isnull=True)))
    program = busiest.order_by("-n", "pk").first()
    if program is None:
        sys.exit("No benchmark dataset: run manage.py benchmark_metrics --keep first.")
    supervisor, _ = User.objects.get_or_create(username="h6-bench-supervisor")
    Membership.objects.get_or_create(
        user=supervisor, role=Role.SUPERVISOR, program=program, defaults={"start_date": datetime.date(2020, 1, 1)}
    )
    http = HttpClient()
    http.force_login(supervisor)
    print(f"{program.name}: {program.n} open clients; {programs.count()} programs in the region")
    for url in URLS:
        times = []
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = http.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p95 = sorted(times)[int(0.95 * len(times)) - 1]
        print(
            f"{url}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, {len(queries.captured_queries)}"
            f" queries, {len(response.content) / 1024:.0f} KiB, {len(response.context['data'].rows)} rows shown"
        )
    b, today = BenchmarkSettings.current(), timezone.localdate()
    for label, scope in [("1 program", programs.filter(pk=program.pk)), (f"{programs.count()} programs", programs)]:
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                counts = open_alerts_by_specialist(scope, today, b)
                times.append((time.perf_counter() - start) * 1000)
        print(
            f"open_alerts_by_specialist, {label}: median {statistics.median(times):.0f} ms,"
            f" {len(queries.captured_queries)} queries; {sum(counts.values())} clients with alerts,"
            f" {len(counts)} specialists, checksum {sum(k * v for k, v in counts.items())}"
        )


if __name__ == "__main__":
    main()
