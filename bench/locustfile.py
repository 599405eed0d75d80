"""Locust behaviour for bench/load.py: specialists (caseload, client record, quick contact POST with an
idempotency key) and supervisors (dashboard). Sessions come signed in from bench/load.py through the
file named by BENCH_SESSIONS (JSON), so the load measures pages, not log-ins (argon2 by design slow).

Each quick contact's note carries BENCH_MARKER; bench/load.py counts those rows against the POSTs that
got a 2xx answer (0 lost writes).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, task

SESSIONS = json.loads(open(os.environ["BENCH_SESSIONS"]).read())  # noqa: SIM115 - read once at import
MARKER = os.environ.get("BENCH_MARKER", "bench-load")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_specialists = itertools.cycle(SESSIONS["specialists"])
_supervisors = itertools.cycle(SESSIONS["supervisors"])


class _Signed(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # think time of a person clicking through
    session: dict[str, Any]

    def on_start(self) -> None:
        self.client.cookies.set(SESSIONS["cookie_name"], self.session["cookie"])


class Specialist(_Signed):
    weight = 4

    def on_start(self) -> None:
        self.session = next(_specialists)
        super().on_start()
        self.token = ""

    @task(3)
    def caseload(self) -> None:
        self.client.get("/clients/", name="caseload")

    @task(3)
    def client_record(self) -> None:
        page = self.client.get(f"/clients/{random.choice(self.session['clients'])}/", name="client record")
        found = TOKEN.search(page.text or "")
        if found:
            self.token = found.group(1)

    @task(2)
    def quick_contact(self) -> None:
        if not self.token:
            self.client_record()
        key = uuid.uuid4().hex
        self.client.post(
            f"/clients/{random.choice(self.session['clients'])}/contacts/quick/",
            data={"from": "record", "submission_key": key, "note": f"{MARKER} {key}"},
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
            name="contact POST",
        )


class Supervisor(_Signed):
    weight = 1

    def on_start(self) -> None:
        self.session = next(_supervisors)
        super().on_start()

    @task
    def dashboard(self) -> None:
        self.client.get(f"/reports/dashboard/?program={self.session['program']}", name="supervisor dashboard")
