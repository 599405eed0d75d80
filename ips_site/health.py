"""Health endpoints for load balancers and monitoring: no login, no client data, JSON.

- `/healthz` (and the older `/health/`, in its old shape): liveness — this process answers and the
  database does. A broker outage does not make it fail (web requests keep working: reports wait in the outbox).
- `/readyz`: readiness and what an operator looks at — the database, the broker, the oldest queued and
  running quarterly report and the stuck ones. A broker outage or a stuck report answers 200 with
  `"status": "degraded"` and the details; only a database that does not answer gives 503.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.db import connection
from django.db.models import Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services as reports

Check = dict[str, Any]


def _timed(probe: Callable[[], Check]) -> Check:
    """Run `probe`; its result with "ok" and the time taken, or the error's type and message."""
    started = time.monotonic()
    try:
        result = {"ok": True, **probe()}
    except Exception as exc:  # a health check reports every failure, it never raises
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _broker() -> Check:
    app = current_app
    if app.conf.task_always_eager:
        return {"mode": "embedded"}  # tasks run in process: no broker to reach
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1)
    return {"mode": "broker"}


def _age(moment: Any) -> float | None:
    return None if moment is None else round((timezone.now() - moment).total_seconds())


def _reports() -> Check:
    rows = QuarterlyReport.objects
    oldest = rows.aggregate(
        queued=Min("requested_at", filter=Q(status=ReportStatus.QUEUED)),
        running=Min("started_at", filter=Q(status=ReportStatus.RUNNING)),
    )
    return {
        "oldest_queued_seconds": _age(oldest["queued"]),
        "oldest_running_seconds": _age(oldest["running"]),
        "stuck": rows.filter(reports.stuck()).count(),
    }


def _answer(checks: dict[str, Check], status: str) -> JsonResponse:
    code = 503 if status == "unavailable" else 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _timed(_database)}
    return _answer(checks, "ok" if checks["database"]["ok"] else "unavailable")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The older `/health/`: the liveness check in its old shape ({"status": "ok"}), a 503 (not a 500
    page) when the database does not answer."""
    ok = _timed(_database)["ok"]
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    if not checks["database"]["ok"]:
        return _answer(checks, "unavailable")
    checks["reports"] = _timed(_reports)
    healthy = checks["broker"]["ok"] and checks["reports"]["ok"] and not checks["reports"].get("stuck")
    return _answer(checks, "ok" if healthy else "degraded")
