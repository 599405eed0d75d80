"""Reads for quarterly reports, always through the access layer.

Who sees and requests what:
- program reports: the program's supervisors (Capability.MANAGE_PROGRAM) and the region-level
  roles of its region (trainers, regional administrators: VIEW_AGGREGATES over the region);
- region roll-ups: the region-level roles of that region (trainers, administrators).
Specialists do not see the reports (they compare colleagues). Anything else is a 404.
Snapshots carry aggregates, staff names and record ids/numbers only, never client names, so
trainers may see every part of a report they can reach.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from programs.access import Capability, programs_for, regions_for
from programs.models import Program, Region, User
from reports.models import QuarterlyReport


def report_programs_for(user: User) -> QuerySet[Program]:
    """Programs whose quarterly reports `user` may see and request."""
    return Program.objects.filter(
        Q(pk__in=programs_for(user, Capability.MANAGE_PROGRAM).values("pk"))
        | Q(agency__region__in=regions_for(user, Capability.VIEW_AGGREGATES))
    )


def report_regions_for(user: User) -> QuerySet[Region]:
    regions: QuerySet[Region] = regions_for(user, Capability.VIEW_AGGREGATES)
    return regions


def visible_reports(user: User) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.filter(
        Q(program__in=report_programs_for(user).values("pk")) | Q(region__in=report_regions_for(user).values("pk"))
    )


def get_report_or_404(user: User, pk: int) -> QuarterlyReport:
    return get_object_or_404(visible_reports(user).select_related("program", "region", "requested_by"), pk=pk)


def can_see_reports(user: User) -> bool:
    return report_programs_for(user).exists() or report_regions_for(user).exists()


class ReportKind:
    PROGRAM = "program"
    REGION = "region"
    CHOICES = [(PROGRAM, "Program reports"), (REGION, "Regional roll-ups")]


def newer_version_exists(scope: str) -> Exists:
    """True for a report when the same `scope` ("program" or "region") has a later version of the
    same quarter. One Exists a scope (not an OR inside one), so PostgreSQL plans hash anti joins."""
    return Exists(
        QuarterlyReport.objects.filter(
            **{scope: OuterRef(scope)},
            year=OuterRef("year"),
            quarter=OuterRef("quarter"),
            version__gt=OuterRef("version"),
        )
    )


def report_list(
    user: User,
    *,
    year: int | None = None,
    quarter: int | None = None,
    program: Program | None = None,
    kind: str | None = None,
    status: str | None = None,
    latest_only: bool = True,
) -> QuerySet[QuarterlyReport]:
    """Reports the user may see, filtered, with what the list shows (one query a page).

    Filters only narrow `visible_reports(user)`: a `program` outside the user's reach matches
    nothing. `latest_only` keeps the newest version of each program's (region's) quarter, whatever
    its status; the other versions stay reachable from the report's page. Ordered newest quarter
    first, regional roll-ups before program reports, then by name and newest version.
    """
    qs = visible_reports(user)
    if year is not None and quarter is not None:
        qs = qs.filter(year=year, quarter=quarter)
    if program is not None:
        qs = qs.filter(program=program)
    if kind == ReportKind.PROGRAM:
        qs = qs.filter(program__isnull=False)
    elif kind == ReportKind.REGION:
        qs = qs.filter(region__isnull=False)
    if status:
        qs = qs.filter(status=status)
    if latest_only:
        qs = qs.filter(~newer_version_exists("program"), ~newer_version_exists("region"))
    return (
        qs.select_related("program", "region", "requested_by")
        .defer("data", "benchmarks")
        .annotate(
            kind_rank=Case(When(region__isnull=False, then=Value(0)), default=Value(1), output_field=IntegerField()),
            scope_sort=Coalesce("region__name", "program__name"),
        )
        .order_by("-year", "-quarter", "kind_rank", "scope_sort", "-version", "-pk")
    )


def report_quarters(user: User) -> list[tuple[int, int]]:
    """[(year, quarter)] of the quarters the user has reports of, newest first (one query)."""
    return list(visible_reports(user).order_by("-year", "-quarter").values_list("year", "quarter").distinct())


def request_targets(user: User) -> list[tuple[str, str]]:
    """[(value, label)] of what the user may request: "program:<id>" and "region:<id>"."""
    regions = [(f"region:{r.pk}", f"{r.name} (regional roll-up)") for r in report_regions_for(user).order_by("name")]
    programs = [(f"program:{p.pk}", p.name) for p in report_programs_for(user).order_by("name")]
    return regions + programs


def versions_of(report: QuarterlyReport) -> list[QuarterlyReport]:
    """Every version of the same program's (or region's) report for the same quarter."""
    same = {"program_id": report.program_id} if report.program_id else {"region_id": report.region_id}
    return list(
        QuarterlyReport.objects.filter(**same, year=report.year, quarter=report.quarter)
        .only("pk", "version", "status", "finished_at", "trigger")
        .order_by("-version")
    )
