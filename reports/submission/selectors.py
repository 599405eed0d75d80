"""The quarterly submission export: one row per program with exactly the outcome measures of the IPS
reference's section 3, in the shape programs send to their state and learning community (and, as the
IPS Grow variant, England's rate over clients out of work at enrollment). Columns: docs/submission.md.

Figures are never computed here. Each row comes from the quarter's done snapshot when one holds that
program's figures with the variant's denominator (the program's own report first, else its region's
roll-up; the latest version), so a submission repeats what was reported; otherwise from
`outcomes.metrics` read as the dashboards read it (`period_as_of`), so the figures equal the
dashboard's. The `source` column says which.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from benchmarks.models import BenchmarkSettings
from outcomes import metrics
from outcomes.common import ALL_ACTIVE, OUT_OF_WORK
from outcomes.measures import measure
from programs.access import Capability, programs_for, regions_for
from programs.models import Program, Region, User
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly.selectors import report_programs_for


@dataclass(frozen=True)
class Variant:
    slug: str
    title: str
    denominator: str


VARIANTS: dict[str, Variant] = {
    "ips": Variant("ips", "IPS quarterly submission", ALL_ACTIVE),
    "ips-grow": Variant("ips-grow", "IPS Grow quarterly submission", OUT_OF_WORK),
}
FORMATS = ("csv", "xlsx")

# The counts of section 3, in the reference's order; each column is named by its catalogue key.
COUNT_KEYS = (
    "active_caseload",
    "working",
    "job_starts",
    "first_job_starts",
    "new_enrollments",
    "closures",
    "in_education",
    "employer_contacts",
)
HEADER = [
    "program_code",
    "program",
    "agency",
    "region",
    "quarter",
    "period_start",
    "period_end",
    *COUNT_KEYS,
    "rate_numerator",
    "rate_denominator",
    "employment_rate",
    "employment_rate_band",
    "denominator",
    "source",
    "definition_version",
]
# Every measure column is a key of the catalogue (a KeyError here would stop the module loading).
for _key in (*COUNT_KEYS, "rate_numerator", "rate_denominator", "employment_rate"):
    measure(_key)

Row = list[Any]


def variant_or_404(slug: str) -> Variant:
    if slug not in VARIANTS:
        raise Http404("No such submission format.")
    return VARIANTS[slug]


def quarter_or_404(code: str, today: datetime.date, benchmarks: BenchmarkSettings) -> metrics.Period:
    """The quarter named by `code` (2026Q3) once it has ended; 404 otherwise (a running quarter's figures
    are not final, and a submission is what a program sends for a closed quarter)."""
    try:
        period = metrics.Period.parse(code, benchmarks.quarter_start_month)
    except ValueError:
        raise Http404("No such quarter.") from None
    if period.kind != "quarter" or not has_ended(period, today):
        raise Http404("No such quarter.")
    return period


def has_ended(period: metrics.Period, today: datetime.date) -> bool:
    """Submissions are of ended quarters only (its last day is still part of the running quarter)."""
    return period.end < today


def program_for(user: User, code: str) -> QuerySet[Program]:
    """The program `code` as a one-row queryset: supervisors of the program, trainers and regional
    administrators of its region (the quarterly reports' audience); anyone else gets a 404."""
    programs = report_programs_for(user).filter(code=code)
    if not programs.exists():
        raise Http404("No such program.")
    return programs


def region_for(user: User, code: str) -> tuple[Region, QuerySet[Program]]:
    """A region the user covers as a whole (trainers, regional administrators) and its active
    programs, as in its quarterly roll-up; 404 otherwise."""
    region = regions_for(user, Capability.VIEW_AGGREGATES).filter(code=code).first()
    if region is None:
        raise Http404("No such region.")
    programs = programs_for(user, Capability.VIEW_AGGREGATES).filter(agency__region=region, is_active=True)
    return region, programs


def _snapshots(programs: list[Program], period: metrics.Period) -> dict[int, tuple[QuarterlyReport, dict]]:
    """{program id: (done report, that program's figures)} from the latest done snapshots of the quarter:
    a program's own report before its region's roll-up. Two queries."""
    quarter = {"year": period.year, "quarter": period.q, "status": ReportStatus.DONE}
    found: dict[int, tuple[QuarterlyReport, dict]] = {}
    regions = {p.agency.region_id for p in programs}
    for report in QuarterlyReport.objects.filter(region__in=regions, **quarter).order_by("version"):
        for row in (report.data or {}).get("by_program", []):
            found[row["id"]] = (report, {**row.get("outcomes", {}), "band": row.get("band")})
    own = QuarterlyReport.objects.filter(program__in=programs, **quarter).order_by("version")
    for report in own:
        if report.program_id is not None:
            data = report.data or {}
            found[report.program_id] = (report, {**data.get("totals", {}), "band": data.get("band")})
    return found


def _snapshot_row(report: QuarterlyReport, figures: dict, variant: Variant) -> dict[str, Any] | None:
    """The snapshot's figures if they were counted with the variant's denominator, else None."""
    if (report.data or {}).get("denominator", {}).get("code") != variant.denominator:
        return None
    if not figures.get("band") or any(key not in figures for key in (*COUNT_KEYS, "employment_rate")):
        return None  # a snapshot from before a measure existed: the row is read live instead
    rate = figures["employment_rate"]
    done = report.finished_at.date().isoformat() if report.finished_at else ""
    return {
        **{key: figures[key] for key in COUNT_KEYS},
        "rate": metrics.Rate(rate["numerator"], rate["denominator"]),
        "band": figures["band"]["label"],
        "source": f"Quarterly report {report.code} v{report.version} ({report.scope_name}, done {done})".strip(),
        "definition_version": report.definition_version,
    }


def submission_rows(
    programs: QuerySet[Program], period: metrics.Period, variant: Variant, today: datetime.date
) -> list[Row]:
    """One row per program of `programs` (ordered by name), the columns of HEADER."""
    bench = BenchmarkSettings.current()
    chosen = list(programs.select_related("agency__region").order_by("name"))
    snapshots = _snapshots(chosen, period)
    live_needed = [p for p in chosen if _from_snapshot(snapshots.get(p.pk), variant) is None]
    as_of = metrics.period_as_of(period, today, bench)
    live = (
        metrics.outcomes_by_program(
            [p.pk for p in live_needed], period, denominator=variant.denominator, as_of=as_of, benchmarks=bench
        )
        if live_needed
        else {}
    )
    rows: list[Row] = []
    for program in chosen:
        figures = _from_snapshot(snapshots.get(program.pk), variant)
        if figures is None:
            o = live[program.pk]
            figures = {
                **{key: getattr(o, key) for key in COUNT_KEYS},
                "rate": o.employment_rate,
                "band": metrics.rate_band(o.employment_rate, bench, variant.denominator).label,
                "source": f"Live figures as of {as_of.isoformat()}",
                "definition_version": metrics.DEFINITION_VERSION,
            }
        rate: metrics.Rate = figures["rate"]
        rows.append(
            [
                program.code,
                program.name,
                program.agency.name,
                program.agency.region.name,
                period.code,
                period.start,
                period.end,
                *(figures[key] for key in COUNT_KEYS),
                rate.numerator,
                rate.denominator,
                rate.percent,
                figures["band"],
                variant.denominator,
                figures["source"],
                figures["definition_version"],
            ]
        )
    return rows


def _from_snapshot(found: tuple[QuarterlyReport, dict] | None, variant: Variant) -> dict[str, Any] | None:
    return None if found is None else _snapshot_row(found[0], found[1], variant)
