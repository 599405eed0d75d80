"""Who may see the records behind a quarterly report's data-quality counts, and which clients
they name (for the audit trail).

Trainers see program figures, never client records (programs.access: VIEW_AGGREGATES without
VIEW_CLIENTS): they get the counts only, on the page and in the CSV, XLSX and PDF."""

from __future__ import annotations

from typing import Any

from clients.models import Contact, Enrollment
from jobs.models import JobStart
from programs.access import Actor, Capability, programs_for
from programs.models import Program
from reports.models import QuarterlyReport

# The model behind each data-quality list of a snapshot (reports.quarterly.snapshots).
QUALITY_MODELS: dict[str, Any] = {
    "enrollments_missing_dates": Enrollment,
    "jobs_missing_fields": JobStart,
    "contacts_missing_mode": Contact,
}


def records_visible(user: Actor, report: QuarterlyReport) -> bool:
    """May `user` see client records of every program the report covers?"""
    if report.program_id is not None:
        covered = Program.objects.filter(pk=report.program_id)
    else:
        covered = Program.objects.filter(agency__region=report.region_id)
    return not covered.exclude(pk__in=programs_for(user, Capability.VIEW_CLIENTS)).exists()


def quality_clients(report: QuarterlyReport) -> list[tuple[int, int]]:
    """(client id, program id) of every client the report's data-quality lists name."""
    quality = (report.data or {}).get("data_quality", {})
    pairs: set[tuple[int, int]] = set()
    for key, model in QUALITY_MODELS.items():
        ids = quality.get(key, {}).get("ids") or [r["id"] for r in quality.get(key, {}).get("records", [])]
        if ids:
            rows = model._default_manager.filter(pk__in=ids).values_list("client_id", "client__program_id")
            pairs.update(rows)
    return sorted(pairs)
