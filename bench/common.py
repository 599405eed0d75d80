"""Shared by the bench/ scripts: Django set-up, the seed_scale dataset's landmarks, timing summaries.

Every script runs against DATABASE_URL (PostgreSQL for the figures of docs/performance.md) holding a
dataset written by `manage.py seed_scale` (region codes CODE01, CODE02, ...).
"""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Production-like settings (DEBUG off) unless the caller set DEBUG; a throwaway secret. Inside an
    already configured Django (the smoke test) nothing changes."""
    from django.conf import settings

    if settings.configured:
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()


@dataclass(frozen=True)
class Landmarks:
    """The users and records the benchmarks act as and on."""

    region_id: int
    program_id: int  # the region's largest program
    program_code: str
    supervisor_id: int
    specialist_id: int  # the program's specialist with the most open clients
    client_id: int  # one of that specialist's open clients
    trainer_id: int
    admin_id: int


def landmarks(region_code: str) -> Landmarks:
    from django.db import connection

    prefix = region_code.lower()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, p.id, p.code FROM programs_region r JOIN programs_agency a ON a.region_id = r.id "
            "JOIN programs_program p ON p.agency_id = a.id JOIN clients_client c ON c.program_id = p.id "
            "WHERE r.code = %s GROUP BY r.id, p.id, p.code ORDER BY COUNT(*) DESC, p.id LIMIT 1",
            [f"{region_code}01"],
        )
        row = cursor.fetchone()
        if row is None:
            raise SystemExit(f"No region {region_code}01: run manage.py seed_scale --region-code {region_code} first.")
        region_id, program_id, program_code = row
        cursor.execute(
            "SELECT e.specialist_id, MIN(e.client_id) FROM clients_enrollment e JOIN clients_client c "
            "ON c.id = e.client_id WHERE c.program_id = %s AND e.closure_date IS NULL "
            "GROUP BY e.specialist_id ORDER BY COUNT(*) DESC LIMIT 1",
            [program_id],
        )
        specialist_id, client_id = cursor.fetchone()
        cursor.execute(
            "SELECT user_id FROM programs_membership WHERE program_id = %s AND role = 'supervisor'", [program_id]
        )
        supervisor_id = cursor.fetchone()[0]
        cursor.execute("SELECT user_id FROM programs_membership WHERE region_id = %s AND role = 'trainer'", [region_id])
        trainer_id = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM programs_user WHERE username = %s", [f"{prefix}-admin"])
        admin_id = cursor.fetchone()[0]
    return Landmarks(region_id, program_id, program_code, supervisor_id, specialist_id, client_id, trainer_id, admin_id)


def signed_in(user_id: int) -> Any:
    """A test client signed in as the user with a verified second factor (roles such as supervisor
    require one in production), as a real session in the session store (its cookie works in gunicorn)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from programs.models import User

    user = User.objects.get(pk=user_id)
    browser = Client(raise_request_exception=True)
    browser.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = browser.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return browser


def quiet_logs() -> None:
    """Sign-ins (axes) and audit lines would drown the figures."""
    import logging

    logging.disable(logging.INFO)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 values is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summary_ms(values: list[float]) -> str:
    return f"median {statistics.median(values):8.1f} ms  p95 {percentile(values, 0.95):8.1f} ms"
