"""Time one program's supervisor dashboard (and its CSV export) through the Django test client
(docs/performance.md, "Figures engine").

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python manage.py benchmark_metrics --programs 200 \
        --clients-per-program 100 --keep
    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python scripts/dashboard_timing.py [--runs 20] [--all]

Uses the dataset `benchmark_metrics --keep` left (region BENCHM): a supervisor of its first program
(created once, removed with the dataset) opens the dashboard of the last complete quarter `--runs` times;
prints the median and p95 in ms and the queries per request. `--all`: also a trainer of the whole
region on "all programs" of the region. `--explain N`: the N slowest queries of the last request;
`--plans`: EXPLAIN ANALYZE of every query of the last request (execution and planning ms, and any
sequential scan of a big table)."""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")
os.environ["MFA_REQUIRED_ROLES"] = ""  # the test client logs in without a second factor

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from programs.models import Membership, Program, Region, Role, User  # noqa: E402

BIG_TABLES = ("clients_enrollment", "clients_client", "clients_contact", "jobs_jobstart", "jobs_employercontact")

PREFIX = "bench-metrics"  # outcomes/management/commands/benchmark_metrics.py deletes these users


def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def member(username, **scope):
    user, _ = User.objects.get_or_create(username=username, defaults={"password": "!"})
    role = Role.SUPERVISOR if "program" in scope else Role.TRAINER
    Membership.objects.get_or_create(user=user, role=role, end_date=None, defaults=scope)
    return user


def measure(label, user, url, params, runs, explain):
    client = Client()
    client.force_login(user)
    assert client.get(url, params).status_code == 200  # warm-up
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(
        f"{label:<42} median {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(ctx.captured_queries)} queries ({sql_ms(ctx.captured_queries):.0f} ms in SQL)"
    )
    if "--plans" in sys.argv:
        plans(ctx.captured_queries)
    if explain:
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:explain]
        for q in slowest:
            print(f"--- {float(q['time']) * 1000:.1f} ms\n{q['sql'][:600]}")


def sql_ms(queries):
    return sum(float(q["time"]) for q in queries) * 1000


def plans(queries):
    with connection.cursor() as cursor:
        for n, q in enumerate(queries):
            if not q["sql"].lstrip("(").startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE) " + q["sql"])
            text = "\n".join(row[0] for row in cursor.fetchall())
            times = re.findall(r"(Planning|Execution) Time: ([0-9.]+) ms", text)
            scans = sorted(set(re.findall(r"Seq Scan on (\w+)", text)) & set(BIG_TABLES))
            timing = "  ".join(f"{kind.lower()} {float(ms):6.1f} ms" for kind, ms in times)
            seq = "SEQ SCAN " + ",".join(scans) if scans else ""
            print(f"#{n:<3} {timing}  {seq}  {q['sql'][:80]}")


def main():
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    region = Region.objects.get(code="BENCHM")
    program = Program.objects.filter(agency__region=region).order_by("code").first()
    runs, explain = arg("--runs", 20), arg("--explain", 0)
    supervisor = member(f"{PREFIX}-timing-supervisor", program=program)
    print(f"Database: {connection.vendor}; program {program.code}; {runs} runs each")
    dashboard = reverse("reports:dashboard")
    measure("supervisor dashboard", supervisor, dashboard, {}, runs, explain)
    csv = reverse("reports:dashboard_export", args=["cards", "csv"])
    measure("dashboard CSV (cards)", supervisor, csv, {}, runs, explain)
    if "--all" in sys.argv:
        trainer = member(f"{PREFIX}-timing-trainer", region=region)
        n = Program.objects.filter(agency__region=region).count()
        measure(f"trainer dashboard, all {n} programs", trainer, dashboard, {}, max(runs // 4, 3), explain)


if __name__ == "__main__":
    main()
