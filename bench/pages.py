"""Each main page through the Django test client at scale: median, p95 and queries per request.

    DATABASE_URL=postgres://.../ips_scale .venv/bin/python bench/pages.py [--requests 50] [--region-code SCALE]

Acts as the dataset's users (bench/common.py landmarks): the specialist with the largest caseload of the
first region's largest program, that program's supervisor and the region's trainer (seed_scale's
--programs-per-region, 200 by default). Production-like settings (DEBUG off). Each quick-contact POST
carries a new idempotency key and adds a contact (counted at the end). A page slower than --max-seconds
in all gets fewer requests (the count is printed).
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from typing import Any

from common import Landmarks, landmarks, quiet_logs, setup_django, signed_in, summary_ms


def pages(marks: Landmarks) -> list[tuple[str, int, str, str]]:
    """(name, user id, method, url) of each page measured."""
    program = f"program={marks.program_code}"
    return [
        ("specialist caseload", marks.specialist_id, "GET", "/clients/"),
        ("client record", marks.specialist_id, "GET", f"/clients/{marks.client_id}/"),
        ("contact POST (quick log)", marks.specialist_id, "POST", f"/clients/{marks.client_id}/contacts/quick/"),
        ("supervisor dashboard", marks.supervisor_id, "GET", f"/reports/dashboard/?{program}"),
        ("dashboard CSV", marks.supervisor_id, "GET", f"/reports/dashboard/export/cards.csv?{program}"),
        ("whole-program caseload", marks.supervisor_id, "GET", "/clients/?scope=program"),
        ("regional view (region)", marks.trainer_id, "GET", "/reports/region/"),
        ("trainer dashboard (region)", marks.trainer_id, "GET", "/reports/dashboard/"),
    ]


def measure(request: Callable[[], int], n: int, max_seconds: float) -> tuple[list[float], list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    status = request()  # warm-up: templates, caches, connection
    if status != 200:
        raise SystemExit(f"status {status}")
    deadline = time.perf_counter() + max_seconds
    for _ in range(n):
        if timings and time.perf_counter() > deadline:
            break  # a page of many seconds: fewer requests, said in the output
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            status = request()
            timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"status {status}")
        queries.append(len(ctx.captured_queries))
    return timings, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page (after one warm-up).")
    parser.add_argument("--max-seconds", type=float, default=120, help="Per page: stop early after this long.")
    parser.add_argument("--region-code", default="SCALE")
    parser.add_argument("--only", help="Measure only the pages whose name contains this.")
    args = parser.parse_args()
    setup_django()
    quiet_logs()
    from clients.models import Contact

    marks = landmarks(args.region_code)
    contacts_before = Contact.objects.filter(client_id=marks.client_id).count()
    posts = 0
    print(f"pages: {args.requests} requests per page; program {marks.program_code}")
    print(f"{'page':<30}{'median / p95':>36}{'queries':>10}")  # queries: the most of any request
    for name, user_id, method, url in pages(marks):
        if args.only and args.only not in name:
            continue
        browser = signed_in(user_id)

        def request(method: str = method, url: str = url, browser: Any = browser) -> int:
            nonlocal posts
            if method == "POST":
                posts += 1
                data = {"from": "record", "submission_key": uuid.uuid4().hex}
                return browser.post(url, data, headers={"hx-request": "true"}).status_code
            return browser.get(url).status_code

        timings, queries = measure(request, args.requests, args.max_seconds)
        print(f"{name:<30}{summary_ms(timings):>36}{max(queries):>10}{len(timings):>6} requests", flush=True)
    added = Contact.objects.filter(client_id=marks.client_id).count() - contacts_before
    print(f"contacts posted {posts}, rows added {added}")
    if added != posts:
        raise SystemExit("lost or duplicated writes")


if __name__ == "__main__":
    main()
