"""Load test: Locust, headless, on loopback against gunicorn with production settings and a real Celery
worker; prints RPS, p50/p95/p99, failures, contacts posted against rows written, and the peak RSS of a
web worker and of the Celery worker.

    DATABASE_URL=postgres://.../ips_scale CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/load.py --users 50 --seconds 60 [--region-code SCALE] [--port 8014]

gunicorn is started as scripts/prod-local and docs/deployment.md start it (2 x CPUs + 1 workers, 4
threads, DEBUG off); the worker with concurrency 2. Needs PostgreSQL and Redis.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess  # nosec B404: starts our own gunicorn, Celery and Locust
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import ROOT, quiet_logs, setup_django, signed_in

BIN = Path(sys.executable).parent


def sessions(region_code: str, limit: int) -> dict[str, object]:
    """Signed-in sessions of the first region's specialists (with their open clients) and supervisors."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.specialist_id, ARRAY_AGG(e.client_id) FROM clients_enrollment e "
            "JOIN clients_client c ON c.id = e.client_id JOIN programs_program p ON p.id = c.program_id "
            "JOIN programs_agency a ON a.id = p.agency_id JOIN programs_region r ON r.id = a.region_id "
            "WHERE r.code = %s AND e.closure_date IS NULL GROUP BY e.specialist_id ORDER BY e.specialist_id LIMIT %s",
            [f"{region_code}01", limit],
        )
        specialists = cursor.fetchall()
        cursor.execute(
            "SELECT m.user_id, p.code FROM programs_membership m JOIN programs_program p ON p.id = m.program_id "
            "JOIN programs_agency a ON a.id = p.agency_id JOIN programs_region r ON r.id = a.region_id "
            "WHERE r.code = %s AND m.role = 'supervisor' ORDER BY m.user_id LIMIT %s",
            [f"{region_code}01", max(1, limit // 4)],
        )
        supervisors = cursor.fetchall()
    name = settings.SESSION_COOKIE_NAME
    return {
        "cookie_name": name,
        "specialists": [
            {"cookie": signed_in(user).cookies[name].value, "clients": clients[:30]} for user, clients in specialists
        ],
        "supervisors": [{"cookie": signed_in(user).cookies[name].value, "program": code} for user, code in supervisors],
    }


class PeakRss(threading.Thread):
    """Samples the RSS of gunicorn's workers and of the Celery worker's processes twice a second."""

    def __init__(self, gunicorn: int, worker: int) -> None:
        super().__init__(daemon=True)
        self.roots = {"web": gunicorn, "celery": worker}
        self.peak = {"web": 0, "celery": 0}
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            for kind, pid in self.roots.items():
                try:
                    root = psutil.Process(pid)
                    # gunicorn: each worker (children), not the master; Celery: the main process and its pool.
                    procs = root.children() if kind == "web" else [root, *root.children()]
                    self.peak[kind] = max([self.peak[kind], *(p.memory_info().rss for p in procs)])
                except psutil.Error:
                    pass
            self.stop.wait(0.5)


def wait_http(url: str, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # nosec B310: our loopback server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--port", type=int, default=8014)
    parser.add_argument("--region-code", default="SCALE")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("CELERY_BROKER_URL (Redis) is needed: the worker is real.")
    setup_django()
    quiet_logs()
    from clients.models import Contact

    marker = f"bench-load-{int(time.time())}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (tmp / "sessions.json").write_text(json.dumps(sessions(args.region_code, max(4, args.users))))
    env = dict(os.environ, BENCH_SESSIONS=str(tmp / "sessions.json"), BENCH_MARKER=marker, PYTHONWARNINGS="ignore")
    host = f"http://127.0.0.1:{args.port}"
    web = subprocess.Popen(  # nosec B603: fixed arguments
        [str(BIN / "gunicorn"), "ips_site.wsgi", "--workers", str(args.workers), "--threads", "4", "--timeout",
         "120", "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    worker = subprocess.Popen(  # nosec B603: fixed arguments
        [str(BIN / "celery"), "-A", "ips_site", "worker", "-l", "warning", "--concurrency", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    rss = PeakRss(web.pid, worker.pid)
    try:
        wait_http(f"{host}/healthz", 180)  # five workers warming WeasyPrint on a busy machine
        rss.start()
        result = subprocess.run(  # nosec B603: fixed arguments
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--host", host,
             "--stop-timeout", "60",  # let requests in flight finish: they count as posted
             "--csv", str(tmp / "run"), "--loglevel", "WARNING"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        rss.stop.set()
        for proc in (web, worker):
            proc.terminate()
        for proc in (web, worker):
            try:
                proc.wait(90)  # gunicorn lets requests in flight finish (its graceful timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    rows = {row["Name"]: row for row in csv.DictReader((tmp / "run_stats.csv").open())}
    if "Aggregated" not in rows:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit("Locust made no requests")
    print(f"load: {args.users} users for {args.seconds} s against gunicorn ({args.workers} workers x 4 threads)")
    print(f"{'request':<24}{'count':>8}{'fail':>6}{'RPS':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, row in rows.items():
        print(
            f"{name:<24}{row['Request Count']:>8}{row['Failure Count']:>6}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
        )
    failures = tmp / "run_failures.csv"
    for row in list(csv.DictReader(failures.open()))[:5] if failures.exists() else []:
        print(f"  failed: {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error'][:120]}")
    post = rows.get("contact POST")
    posted = int(post["Request Count"]) - int(post["Failure Count"]) if post else 0
    stored = Contact.objects.filter(note__startswith=marker).count()
    print(f"contacts posted {posted}, rows in the database {stored}, lost {max(0, posted - stored)}")
    mib = 1024 * 1024
    print(f"peak RSS: web worker {rss.peak['web'] / mib:.0f} MiB, Celery worker {rss.peak['celery'] / mib:.0f} MiB")
    if stored != posted:
        raise SystemExit("lost or duplicated writes")


if __name__ == "__main__":
    main()
