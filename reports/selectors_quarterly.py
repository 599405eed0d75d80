"""Reads for quarterly reports, always through the access layer.

Who sees and requests what:
- program reports: the program's supervisors (Capability.MANAGE_PROGRAM) and the region-level
  roles of its region (trainers, regional administrators: VIEW_AGGREGATES over the region);
- region roll-ups: the region-level roles of that region (trainers, administrators).
Specialists do not see the reports (they compare colleagues). Anything else is a 404.
Snapshots carry aggregates, staff names and record ids/numbers only, never client names, so
trainers may see every part of a report they can reach.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from programs.access import Capability, programs_for, regions_for
from programs.models import Program

from .models import QuarterlyReport


def report_programs_for(user):
    """Programs whose quarterly reports `user` may see and request."""
    return Program.objects.filter(
        Q(pk__in=programs_for(user, Capability.MANAGE_PROGRAM).values("pk"))
        | Q(agency__region__in=regions_for(user, Capability.VIEW_AGGREGATES))
    )


def report_regions_for(user):
    return regions_for(user, Capability.VIEW_AGGREGATES)


def visible_reports(user):
    return QuarterlyReport.objects.filter(
        Q(program__in=report_programs_for(user).values("pk")) | Q(region__in=report_regions_for(user).values("pk"))
    )


def get_report_or_404(user, pk):
    return get_object_or_404(visible_reports(user).select_related("program", "region", "requested_by"), pk=pk)


def can_see_reports(user):
    return report_programs_for(user).exists() or report_regions_for(user).exists()


def report_list(user, limit=200):
    """Reports the user may see, newest quarter first, with what the list shows (one query)."""
    return (
        visible_reports(user)
        .select_related("program", "region", "requested_by")
        .defer("data", "benchmarks")
        .order_by("-year", "-quarter", "region__name", "program__name", "-version")[:limit]
    )


def request_targets(user):
    """[(value, label)] of what the user may request: "program:<id>" and "region:<id>"."""
    regions = [(f"region:{r.pk}", f"{r.name} (regional roll-up)") for r in report_regions_for(user).order_by("name")]
    programs = [(f"program:{p.pk}", p.name) for p in report_programs_for(user).order_by("name")]
    return regions + programs


def versions_of(report):
    """Every version of the same program's (or region's) report for the same quarter."""
    same = {"program_id": report.program_id} if report.program_id else {"region_id": report.region_id}
    return list(
        type(report)
        .objects.filter(**same, year=report.year, quarter=report.quarter)
        .only("pk", "version", "status", "finished_at", "trigger")
        .order_by("-version")
    )
