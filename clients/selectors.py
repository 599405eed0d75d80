"""Reads of the clients app alone. What combines clients with jobs (phases, alerts, the caseload, the
timeline) is in caseload.selectors, the floor above both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from benchmarks.models import BenefitsThresholds

from .models import BenefitsCounselingSession, CareerProfile, Client, EmploymentPlan, Enrollment

RECENT_LIMIT = 10


def client_sections(client: Client) -> dict[str, Any]:
    """The client record's own sections (profile, plan, benefits, episodes): a fixed number of queries."""
    profile = CareerProfile.objects.filter(client=client).first()
    plan = EmploymentPlan.objects.filter(client=client, is_current=True).first()
    sessions = list(BenefitsCounselingSession.objects.filter(client=client)[:RECENT_LIMIT])
    return {
        "profile": profile,
        "work_history": list(profile.work_history.all()) if profile else [],
        "plan": plan,
        "steps": list(plan.steps.all()) if plan else [],
        "old_plans": EmploymentPlan.objects.filter(client=client, is_current=False).count(),
        "benefits_sessions": sessions,
        "benefits_amounts": ssa_amounts(sessions[0].session_date.year if sessions else None),
        "enrollments": list(Enrollment.objects.filter(client=client).select_related("specialist")),
    }


@dataclass(frozen=True)
class SsaAmounts:
    """One year's SSA monthly amounts as a benefits counselor quotes them (SGA non-blind and blind,
    trial work month, SSI federal benefit rate). `thresholds` is None when nobody entered that year's
    row: pages say so rather than show another year's amounts."""

    year: int
    thresholds: BenefitsThresholds | None


def ssa_amounts(year: int | None = None) -> SsaAmounts:
    """The amounts of `year` (default: this year) from benchmarks.BenefitsThresholds, in one query."""
    year = year or timezone.localdate().year
    return SsaAmounts(year, BenefitsThresholds.objects.filter(year=year).first())


def counselor_names(client: Client, limit: int = 20) -> list[str]:
    """Benefits counselors' names from the earlier sessions of the client's program (never another
    program's), most recent first, each once: offered on the benefits session form."""
    names = (
        BenefitsCounselingSession.objects.filter(client__program_id=client.program_id)
        .order_by("-session_date", "-pk")
        .values_list("counselor_name", flat=True)[:500]
    )
    seen: dict[str, str] = {}
    for name in names:
        key = " ".join(name.split()).casefold()
        if key and key not in seen:
            seen[key] = " ".join(name.split())
    return list(seen.values())[:limit]
