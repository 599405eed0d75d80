"""Synthetic demo data: one region, two agencies, three programs, two years of history.

Deterministic for a given day (a fixed random seed, history counted back from `today`, which is
`timezone.localdate()` unless given), and idempotent (seeding again when the demo region exists
creates nothing). Every name is invented. The parts, in the order they draw random numbers:
`people` (organisation and staff), then for each program `client_histories` (with `employment`:
employers, jobs, supports) and `fidelity_reviews`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from clients.models import Client
from fidelity.models import FidelityReview, ScoreAmendment
from jobs.models import Employer, EmployerContact, JobStart
from programs.models import Agency, Program, Region, User
from reports.models import QuarterlyReport

from .client_histories import build_clients
from .fidelity_reviews import build_fidelity
from .people import build_people_and_programs, demo_usernames, logins
from .seeding import HISTORY_DAYS, PASSWORD, REGION_CODE, Seeding

__all__ = ["HISTORY_DAYS", "PASSWORD", "REGION_CODE", "demo_exists", "logins", "reset", "seed"]


def demo_exists() -> bool:
    return Region.objects.filter(code=REGION_CODE).exists()


@transaction.atomic
def seed(today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo data unless it exists. Returns {model name: rows created}."""
    if demo_exists():
        return {}
    s = Seeding(today or timezone.localdate())
    for index, built in enumerate(build_people_and_programs(s)):
        build_clients(s, built.program, built.plan.clients, built.teams)
        build_fidelity(s, built.program, built.plan.fidelity_total, with_baseline=index == 0)
    return s.counts


@transaction.atomic
def reset() -> None:
    """Delete the demo region and everything in it, and the demo users."""
    programs = Program.objects.filter(agency__region__code=REGION_CODE)
    reviews = FidelityReview.objects.filter(program__in=programs)
    ScoreAmendment.objects.filter(item_score__review__in=reviews).delete()
    reviews.delete()
    QuarterlyReport.objects.filter(program__in=programs).delete()
    QuarterlyReport.objects.filter(region__code=REGION_CODE).delete()
    JobStart.objects.filter(client__program__in=programs).delete()
    EmployerContact.objects.filter(employer__program__in=programs).delete()
    Employer.objects.filter(program__in=programs).delete()
    Client.objects.filter(program__in=programs).delete()
    programs.delete()
    Agency.objects.filter(region__code=REGION_CODE).delete()
    Region.objects.filter(code=REGION_CODE).delete()
    users = User.objects.filter(username__in=demo_usernames())
    AuditEvent.objects.filter(user__in=users).update(user=None)
    users.delete()
