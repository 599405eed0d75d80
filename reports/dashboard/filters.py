"""Who may open which dashboard, and the dashboard's filters: GET parameters in, a typed `Filters` out,
and the links that reproduce them.

Access: every program comes through programs/access.py; a program, region or specialist outside the
user's reach is a 404, never a silently widened scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from benchmarks.models import BenchmarkSettings, Denominator
from clients.models import Enrollment
from outcomes import metrics
from outcomes.periods import Period
from programs.access import Capability, programs_for, regions_for
from programs.models import Program, Region, User
from programs.selectors import specialists_between, specialists_of

QUARTER_CHOICES = 12  # quarters offered in the filter, the current one included

# --- Who may see which dashboard ------------------------------------------------------------------


def dashboard_programs(user: User) -> QuerySet[Program]:
    """Programs whose dashboard `user` may open: supervisors (they manage the program), trainers
    (they review its fidelity) and administrators. Specialists alone get none (404)."""
    managed = programs_for(user, Capability.MANAGE_PROGRAM) | programs_for(user, Capability.REVIEW_FIDELITY)
    return programs_for(user, Capability.VIEW_AGGREGATES).filter(pk__in=managed.values("pk"))


def client_program_ids(user: User, program_ids: list[int]) -> set[int]:
    """Of `program_ids`, those on which `user` may see client names (one query)."""
    return set(programs_for(user, Capability.VIEW_CLIENTS).filter(pk__in=program_ids).values_list("pk", flat=True))


def region_programs(user: User, region_code: str = "") -> tuple[list[Region], Region, list[Program]]:
    """(regions the user covers, chosen region, its programs) for the regional view; 404 without one."""
    regions = list(regions_for(user, Capability.VIEW_AGGREGATES).order_by("name"))
    if not regions:
        raise Http404("No region.")
    chosen: Region | None = regions[0]
    if region_code:
        chosen = next((r for r in regions if r.code == region_code), None)
    if chosen is None:
        raise Http404("No such region.")
    programs = (
        programs_for(user, Capability.VIEW_AGGREGATES)
        .filter(agency__region=chosen)
        .select_related("agency")
        .order_by("name")
    )
    return regions, chosen, list(programs)


# --- Quarters ---------------------------------------------------------------------------------------


def default_quarter(today: datetime.date, start_month: int | None = None) -> Period:
    """The last complete quarter."""
    return Period.quarter_containing(today, start_month).previous()


def quarter_choices(today: datetime.date, start_month: int | None = None) -> list[Period]:
    """The quarters offered in the filters, newest (the current one, to date) first."""
    quarters: list[Period] = Period.quarter_containing(today, start_month).quarters_back(QUARTER_CHOICES)
    return quarters[::-1]


def parse_quarter(code: str, today: datetime.date, start_month: int | None = None) -> Period:
    """The quarter named by `code` (e.g. 2026Q2) unless it starts after today; else (and by
    default) the last complete quarter."""
    if code:
        try:
            period = Period.parse(code, start_month)
        except ValueError:
            period = None
        if period is not None and period.kind == "quarter" and period.start <= today:
            return period
    return default_quarter(today, start_month)


# --- The supervisor dashboard's filters -------------------------------------------------------------


@dataclass
class Filters:
    """The dashboard's choice of programs, quarter, specialist and denominator (GET parameters)."""

    available: list[Program]  # programs the user may open, for the program filter
    program: Program | None  # one chosen program, or None for all available
    period: Period
    specialist: User | None
    specialist_choices: list[User]
    denominator: str
    quarters: list[Period]
    today: datetime.date
    benchmarks: BenchmarkSettings

    @property
    def programs(self) -> list[Program]:
        return [self.program] if self.program else self.available

    @property
    def program_ids(self) -> list[int]:
        return [p.pk for p in self.programs]

    @property
    def program_qs(self) -> QuerySet[Program]:
        return Program.objects.filter(pk__in=self.program_ids)

    @property
    def specialist_ids(self) -> list[int] | None:
        return [self.specialist.pk] if self.specialist else None

    @property
    def as_of(self) -> datetime.date:
        """The day figures are read as of, as in the quarterly reports (`metrics.period_as_of`)."""
        day: datetime.date = metrics.period_as_of(self.period, self.today, self.benchmarks)
        return day

    @property
    def last_day(self) -> datetime.date:
        """The period's last day, or today while the period runs."""
        return min(self.period.end, self.today)

    @property
    def label(self) -> str:
        return self.program.name if self.program else "All your programs"

    def params(self, **extra: Any) -> dict[str, Any]:
        """Query parameters reproducing these filters (plus `extra`, blanks left out), for links."""
        values: dict[str, Any] = {"quarter": self.period.code}
        if self.program:
            values["program"] = self.program.code
        if self.specialist:
            values["specialist"] = self.specialist.pk
        if self.denominator != Denominator.ALL_ACTIVE:
            values["denominator"] = self.denominator
        values.update({k: v for k, v in extra.items() if v not in (None, "")})
        return values

    @property
    def query(self) -> str:
        return urlencode(self.params())

    def export_url(self, dataset: str, fmt: str) -> str:
        return f"{reverse('reports:dashboard_export', args=[dataset, fmt])}?{self.query}"

    def url(self, name: str, **extra: Any) -> str:
        return f"{reverse(name)}?{urlencode(self.params(**extra))}"


def _specialist_choices(program_ids: list[int], period: Period) -> list[User]:
    """The program's specialists (programs.selectors.specialists_of), those in force during the chosen
    quarter (the by-specialist table's rows link here), and former ones who still have clients
    attributed to them."""
    return list(
        User.objects.filter(
            Q(pk__in=specialists_of(program_ids).values("pk"))
            | Q(pk__in=specialists_between(program_ids, period.start, period.end).values("pk"))
            | Q(pk__in=Enrollment.objects.filter(client__program__in=program_ids).values("specialist"))
        ).order_by("last_name", "first_name", "username")
    )


def parse_filters(user: User, params: Mapping[str, str], today: datetime.date) -> Filters:
    """Read quarter / program / specialist / denominator; anything out of scope is a 404."""
    available = list(dashboard_programs(user).select_related("agency__region").order_by("name"))
    if not available:
        raise Http404("No dashboard.")
    benchmarks = BenchmarkSettings.current()
    program = None
    code = params.get("program", "")
    if code:
        program = next((p for p in available if p.code == code), None)
        if program is None:
            raise Http404("No such program.")
    elif len(available) == 1:
        program = available[0]
    period = parse_quarter(params.get("quarter", ""), today, benchmarks.quarter_start_month)
    specialists = _specialist_choices([program.pk] if program else [p.pk for p in available], period)
    specialist = None
    if params.get("specialist"):
        specialist = next((u for u in specialists if str(u.pk) == str(params["specialist"])), None)
        if specialist is None:
            raise Http404("No such specialist.")
    denominator = params.get("denominator") or benchmarks.employment_rate_denominator
    if denominator not in Denominator.values:
        denominator = Denominator.ALL_ACTIVE
    return Filters(
        available=available,
        program=program,
        period=period,
        specialist=specialist,
        specialist_choices=specialists,
        denominator=denominator,
        quarters=quarter_choices(today, benchmarks.quarter_start_month),
        today=today,
        benchmarks=benchmarks,
    )
