"""Time a quarter's reports and the regional view on the kept benchmark dataset (docs/performance.md,
issue #16 items 3 and 4). Build the dataset first, on PostgreSQL:

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python manage.py benchmark_metrics --programs 200 \\
        --clients-per-program 100 --keep
    DEBUG=1 MFA_REQUIRED_ROLES= DATABASE_URL=postgres://... .venv/bin/python scripts/quarter_region_timing.py \\
        [reports|region|both] [--quarter 2026Q3] [--requests 20]

reports: `manage.py generate_quarterly_reports --region <the dataset's region> --sync` (every program's
report, then the roll-up; new versions each run), wall time and queries. region: the regional view
through the Django test client, median and p95 of --requests requests, queries and size of one response,
then the CSV export. A trainer of the dataset's region (h5_bench_trainer) is created if missing."""

import argparse
import datetime
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from programs.models import Membership, Region, Role, User  # noqa: E402


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def reports(region, quarter):
    counter, out = Counter(), StringIO()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        call_command(
            "generate_quarterly_reports", "--quarter", quarter, "--region", str(region.pk), "--sync", stdout=out
        )
        seconds = time.perf_counter() - started
    lines = out.getvalue().splitlines()
    done = sum(line.endswith(": done") for line in lines)
    print(f"quarter reports {quarter}: {seconds:.1f} s, {counter.n} queries, {done} of {len(lines) - 1} done")


def region_view(region, quarter, requests):
    settings.ALLOWED_HOSTS = ["*"]
    user, _ = User.objects.get_or_create(username="h5_bench_trainer")
    if not Membership.objects.filter(user=user, role=Role.TRAINER, region=region).exists():
        Membership.objects.create(user=user, role=Role.TRAINER, region=region, start_date=datetime.date(2020, 1, 1))
    client = Client()
    client.force_login(user)
    url = f"/reports/region/?region={region.code}&quarter={quarter}"
    client.get(url)  # warm-up: URL resolver, templates
    times, counter = [], Counter()
    for _ in range(requests):
        counter.n = 0
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = sorted(times)[max(int(len(times) * 0.95) - 1, 0)]
    print(
        f"regional view: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, {counter.n} queries, "
        f"{len(response.content) / 1024:.0f} KiB"
    )
    started = time.perf_counter()
    response = client.get(f"/reports/region/export.csv?region={region.code}&quarter={quarter}")
    lines = len(response.content.splitlines())
    print(f"regional CSV export: {(time.perf_counter() - started) * 1000:.0f} ms, {lines - 1} programs")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", default="both", choices=["reports", "region", "both"])
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    region = Region.objects.get(code="BENCHM")
    if args.what in ("reports", "both"):
        reports(region, args.quarter)
    if args.what in ("region", "both"):
        region_view(region, args.quarter, args.requests)


if __name__ == "__main__":
    main()
