"""The outcome measures of a set of clients for a period (`Outcomes`), for the programs as a whole,
per program or per specialist, and the employment-rate trend. Definitions: `outcomes` below and
the docstring of `outcomes.metrics`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from benchmarks.models import BenchmarkSettings
from clients.models import Enrollment
from programs.models import Program, User

from .client_counts import client_figures, rates_by_period
from .common import (
    ALL_ACTIVE,
    BY_PROGRAM,
    BY_SPECIALIST,
    HOURS_THRESHOLD,
    OUT_OF_WORK,
    Group,
    GroupKey,
    Programs,
    Row,
    Specialists,
    aggregate,
    checked_denominator,
    current_benchmarks,
    for_specialists,
    group_key,
    grouped_rows,
    median,
    period_as_of,
    specialist_ids,
)
from .periods import Period, Rate
from .querysets import (
    FIRST_IN_EPISODE,
    employer_contacts,
    first_contact_enrollments,
    job_starts,
    jobs_held,
    with_first_in_episode,
)
from .staffing import Staff, staff_by_group
from .windows import Contacted, contact_weeks, counted_period, first_contact_figures


@dataclass
class Outcomes:
    """The outcome measures of one set of clients for one period (see `outcomes`)."""

    active_caseload: int = 0
    working: int = 0
    employment_rate: Rate = Rate(0, 0)
    # Not a figure: which clients employment_rate is counted over.
    denominator: str = field(default=ALL_ACTIVE, metadata={"figure": False})
    job_starts: int = 0
    first_job_starts: int = 0
    new_enrollments: int = 0
    closures: int = 0
    in_education: int = 0
    first_contact_days_median: float | None = None
    # Set (to the target days N) when the median is "more than N days": it falls among clients not yet
    # contacted (first_contact_days_median is then None).
    first_contact_days_median_over: int | None = field(default=None, metadata={"figure": False})
    first_contact_within_target: Rate = Rate(0, 0)
    employer_contacts_per_specialist_week: float | None = None
    specialist_count: int = 0
    caseload_per_specialist: float | None = None
    # Not figures: the divisors of the two above (outcomes.staffing).
    specialist_fte: float = field(default=0.0, metadata={"figure": False})
    specialist_weeks: float = field(default=0.0, metadata={"figure": False})
    tenure_weeks_median: float | None = None
    hours_20_plus: Rate = Rate(0, 0)
    hourly_wage_median: float | None = None
    # Beyond the contract, for drill-downs and checks:
    employer_contacts: int = 0
    caseload_at_end: int = 0
    jobs_held: int = 0

    @classmethod
    def figure_names(cls) -> list[str]:
        """The fields that are figures (each has an entry in the measure catalogue)."""
        return [f.name for f in fields(cls) if f.metadata.get("figure", True)]

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: rates become {numerator, denominator, value, percent}."""
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.as_dict() if isinstance(value, Rate) else value
        return data


Figures = dict[GroupKey, Row]


def _client_figures(programs: Programs, period: Period, specialists: Specialists, group: Group) -> Figures:
    """active/working (both denominators), in education and caseload at the end. One query, over
    the attributed episodes (one row per active client; `outcomes.client_counts`)."""
    return client_figures(
        programs, period, specialists, group_key(group, period, "client", "client__program", "specialist")
    )


def _enrollment_figures(programs: Programs, period: Period, specialists: Specialists, group: Group) -> Figures:
    qs = Enrollment.objects.filter(client__program__in=programs, enrollment_date__isnull=False).filter(
        Q(enrollment_date__gte=period.start, enrollment_date__lte=period.end)
        | Q(closure_date__gte=period.start, closure_date__lte=period.end)
    )
    qs = for_specialists(qs, period, "client", specialists)
    return aggregate(
        qs,
        group_key(group, period, "client", "client__program"),
        new_enrollments=Count("pk", filter=Q(enrollment_date__gte=period.start, enrollment_date__lte=period.end)),
        closures=Count("pk", filter=Q(closure_date__gte=period.start, closure_date__lte=period.end)),
    )


def _start_figures(programs: Programs, period: Period, specialists: Specialists, group: Group) -> Figures:
    qs = with_first_in_episode(job_starts(programs, period, specialists))
    return aggregate(
        qs,
        group_key(group, period, "client", "client__program"),
        job_starts=Count("pk"),
        # Clients, not jobs: a client re-enrolled with a first job in two episodes of the period counts once.
        first_job_starts=Count("client", filter=FIRST_IN_EPISODE, distinct=True),
    )


def _held_figures(
    programs: Programs, period: Period, specialists: Specialists, group: Group, as_of: datetime.date
) -> tuple[Figures, dict[GroupKey, list[float]], dict[GroupKey, list[Decimal]]]:
    """Counts of jobs held (hours known / >= threshold) and the per-group medians of tenure and
    wage from one values_list."""
    qs = jobs_held(programs, period, specialists)
    key = group_key(group, period, "client", "client__program")
    counts = aggregate(
        qs,
        key,
        jobs_held=Count("pk"),
        hours_known=Count("pk", filter=Q(hours_per_week__isnull=False)),
        hours_20_plus=Count("pk", filter=Q(hours_per_week__gte=HOURS_THRESHOLD)),
    )
    # One rule for every job: tenure as of the period's end (as of `as_of` when the period is still
    # running); a job that ended later is measured to the same day as a job still held.
    measured_to = min(as_of, period.end)
    tenures: dict[GroupKey, list[float]] = {}
    wages: dict[GroupKey, list[Decimal]] = {}
    for key_value, start, end, wage in grouped_rows(qs, key, "start_date", "end_date", "hourly_wage"):
        until = measured_to if end is None else min(end, measured_to)
        tenures.setdefault(key_value, []).append(max((until - start).days, 0) / 7)
        if wage is not None:
            wages.setdefault(key_value, []).append(wage)
    return counts, tenures, wages


def _first_contact_rows(
    programs: Programs, period: Period, specialists: Specialists, group: Group, as_of: datetime.date
) -> list[tuple[Any, ...]]:
    """(group, enrollment date, first contact date) for every episode newly enrolled. One query."""
    qs = first_contact_enrollments(programs, period, specialists, as_of)
    return grouped_rows(
        qs, group_key(group, period, "client", "client__program"), "enrollment_date", "first_contact_date"
    )


def _contact_figures(
    programs: Programs, period: Period, specialists: Specialists, group: Group, weeks_end: datetime.date
) -> Figures:
    # Per specialist too: the contacts made while in force in the employer's program, so the rows add
    # up to the program's figure.
    qs = employer_contacts(programs, period, specialists)
    key = group_key(group, period, None, "employer__program", "specialist")
    return aggregate(
        qs,
        key,
        employer_contacts=Count("pk"),
        contacts_in_weeks=Count("pk", filter=Q(contact_date__lte=weeks_end)),
    )


def _per_week(contacts: Row, staff: Staff) -> float | None:
    """Contacts per full-time-equivalent week of the specialists in force (outcomes.staffing)."""
    return contacts.get("contacts_in_weeks", 0) / staff.fte_weeks if staff.fte_weeks else None


# The query (part) each figure is counted by: `outcomes(figures=...)` runs only the parts it needs.
PARTS: dict[str, frozenset[str]] = {
    "clients": frozenset(
        {"active_caseload", "working", "employment_rate", "in_education", "caseload_at_end", "caseload_per_specialist"}
    ),
    "enrollments": frozenset({"new_enrollments", "closures"}),
    "starts": frozenset({"job_starts", "first_job_starts"}),
    "held": frozenset({"jobs_held", "tenure_weeks_median", "hours_20_plus", "hourly_wage_median"}),
    "first_contact": frozenset({"first_contact_days_median", "first_contact_within_target"}),
    "contacts": frozenset({"employer_contacts", "employer_contacts_per_specialist_week"}),
    "staff": frozenset({"specialist_count", "caseload_per_specialist", "employer_contacts_per_specialist_week"}),
}


def parts_for(figures: Iterable[str] | None) -> frozenset[str]:
    """The parts (see PARTS) that count `figures` (Outcomes field names; None: every part)."""
    if figures is None:
        return frozenset(PARTS)
    wanted = set(figures)
    unknown = wanted - {f.name for f in fields(Outcomes)}
    if unknown:
        raise ValueError(f"Not figures of Outcomes: {sorted(unknown)}")
    return frozenset(part for part, names in PARTS.items() if names & wanted)


class _Figures:
    """Every figure of `outcomes`, grouped by `group` (None, BY_PROGRAM or BY_SPECIALIST), from a
    constant number of queries (seven, fewer when `parts` names only some of PARTS: the others stay
    empty, i.e. zeros); `.outcomes(key)` builds one group's Outcomes (an unknown key, e.g. an empty
    program, gives zeros and rates with value None)."""

    def __init__(
        self,
        programs: Programs,
        period: Period,
        specialists: Specialists,
        group: Group,
        denominator: str,
        as_of: datetime.date | None,
        benchmarks: BenchmarkSettings,
        parts: frozenset[str] = frozenset(PARTS),
    ) -> None:
        self.denominator, self.benchmarks = denominator, benchmarks
        self.as_of = as_of or period_as_of(period, benchmarks=benchmarks)
        self.weeks_end, self.weeks = contact_weeks(period, self.as_of)
        period = self.period = counted_period(period, self.as_of)
        self.clients = _client_figures(programs, period, specialists, group) if "clients" in parts else {}
        self.enrollments = _enrollment_figures(programs, period, specialists, group) if "enrollments" in parts else {}
        self.starts = _start_figures(programs, period, specialists, group) if "starts" in parts else {}
        self.held: Figures = {}
        self.tenures: dict[GroupKey, list[float]] = {}
        self.wages: dict[GroupKey, list[Decimal]] = {}
        if "held" in parts:
            self.held, self.tenures, self.wages = _held_figures(programs, period, specialists, group, self.as_of)
        self.first_contact: dict[GroupKey, list[Contacted]] = {}
        if "first_contact" in parts:
            for key, enrolled, contacted in _first_contact_rows(programs, period, specialists, group, self.as_of):
                self.first_contact.setdefault(key, []).append((enrolled, contacted))
        self.contacts = (
            _contact_figures(programs, period, specialists, group, self.weeks_end) if "contacts" in parts else {}
        )
        self.staff: dict[GroupKey, Staff] = {}
        if "staff" in parts:
            self.staff = staff_by_group(programs, period, self.weeks_end, group, specialist_ids(specialists))

    def client_keys(self) -> set[int]:
        """Group keys that have clients (the attributed specialists, when grouped by specialist)."""
        keys = set(self.clients) | set(self.enrollments) | set(self.starts) | set(self.held)
        return {key for key in keys if key is not None}

    def outcomes(self, key: GroupKey) -> Outcomes:
        staff = self.staff.get(key, Staff())
        clients = self.clients.get(key, {})
        held = self.held.get(key, {})
        starts = self.starts.get(key, {})
        enrollments = self.enrollments.get(key, {})
        if self.denominator == OUT_OF_WORK:
            rate = Rate(clients.get("working_oow", 0), clients.get("active_oow", 0))
        else:
            rate = Rate(clients.get("working", 0), clients.get("active", 0))
        first = first_contact_figures(
            self.first_contact.get(key, []), self.benchmarks.first_employer_contact_days, self.as_of
        )
        contacts = self.contacts.get(key, {})
        n_contacts = contacts.get("employer_contacts", 0)
        per_week = _per_week(contacts, staff)
        caseload_at_end = clients.get("caseload_at_end", 0)
        return Outcomes(
            active_caseload=clients.get("active", 0),
            working=clients.get("working", 0),
            employment_rate=rate,
            denominator=self.denominator,
            job_starts=starts.get("job_starts", 0),
            first_job_starts=starts.get("first_job_starts", 0),
            new_enrollments=enrollments.get("new_enrollments", 0),
            closures=enrollments.get("closures", 0),
            in_education=clients.get("in_education", 0),
            first_contact_days_median=first.median,
            first_contact_days_median_over=first.median_over,
            first_contact_within_target=first.within,
            employer_contacts_per_specialist_week=per_week,
            specialist_count=staff.count,
            caseload_per_specialist=(caseload_at_end / staff.fte_at_end) if staff.fte_at_end else None,
            specialist_fte=staff.fte_at_end,
            specialist_weeks=staff.fte_weeks,
            tenure_weeks_median=median(self.tenures.get(key, [])),
            hours_20_plus=Rate(held.get("hours_20_plus", 0), held.get("hours_known", 0)),
            hourly_wage_median=median(self.wages.get(key, [])),
            employer_contacts=n_contacts,
            caseload_at_end=caseload_at_end,
            jobs_held=held.get("jobs_held", 0),
        )


def outcomes(
    programs: Programs,
    period: Period,
    *,
    specialists: Specialists = None,
    denominator: str | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
    figures: Iterable[str] | None = None,
) -> Outcomes:
    """All outcome measures for the programs (or the clients of `specialists`) in the period.
    `figures` (Outcomes field names): count only those (and whatever shares their query), the others
    keep their empty defaults -- for a reader that shows a few figures; None: all of them.

    - active_caseload: clients with an episode active in the period (see module docstring),
      each once; episodes with no enrollment date are left out and listed by `data_quality`.
    - working: active clients who held a competitive job on >= 1 day of the period.
    - employment_rate = working / active. `denominator` (default
      BenchmarkSettings.employment_rate_denominator): "all_active", or "out_of_work" = only
      clients whose (latest) active episode has employed_at_enrollment=False, in the numerator
      too. `active_caseload` and `working` always report all active clients.
    - job_starts: competitive jobs of active clients started in the period; first_job_starts:
      the clients (each once) with a job that is their first competitive job in the episode
      containing the start.
    - new_enrollments / closures: episodes enrolled / closed in the period.
    - in_education: active clients with an EducationActivity overlapping the period.
    - first_contact_days_median / first_contact_within_target: for episodes newly enrolled in the
      period, days from enrollment to the first face-to-face EmployerContact linked to the client
      on or after the enrollment date and on or before `as_of`. Counted: contacted clients plus
      uncontacted clients whose N-day window (BenchmarkSettings.first_employer_contact_days) has
      fully elapsed by as_of. The share within N days is over them; the median ranks each
      uncontacted client as "more than N days" and is reported as "> N"
      (first_contact_days_median None, first_contact_days_median_over = N) when it falls among
      them or above N with such clients (see `first_contact_figures`).
    - Staff are the specialist memberships in force during the period, with their FTE
      (`outcomes.staffing`): ending, moving or re-opening a membership changes no past period.
    - employer_contacts_per_specialist_week: face-to-face employer contacts in the period made by
      the specialists (the given ones, else specialists whose membership of the employer's program
      was in force on the contact's date) / specialist_weeks, the full-time-equivalent weeks the
      specialists were in force over the counted weeks: period.days / 7 for an ended period and,
      while it runs, the full 7-day weeks elapsed from its first day through as_of (contacts of
      those weeks only; see `contact_weeks`). specialist_count: distinct specialists in force on at
      least one day of the period (of the given ones, when given).
    - caseload_per_specialist: active clients with an episode open on the period's last day
      (closed on that day counts as open) / specialist_fte, the FTE of the specialist memberships in
      force on that day (per full-time specialist; None when none is in force).
    - tenure_weeks_median: weeks from start to min(end date, period end, as_of) -- one rule for
      jobs still held and jobs ended later -- over the competitive jobs held in the period;
      hours_20_plus: share of those jobs with
      hours_per_week >= 20, jobs with no hours left out (listed by data_quality);
      hourly_wage_median over those jobs with a wage.
    - as_of defaults to `period_as_of(period)` (the documented as-of rule). Nothing dated after
      as_of counts: a running period is cut at as_of (`counted_period`), so future-dated
      enrollments, closures, job starts, education and contacts are left out.
    Rates with a zero denominator have value None, never a division error.
    """
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    ids = specialist_ids(specialists)
    return _Figures(programs, period, ids, None, checked, as_of, bench, parts_for(figures)).outcomes(None)


def outcomes_by_program(
    programs: Programs,
    period: Period,
    *,
    denominator: str | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[int, Outcomes]:
    """{program id: Outcomes} for every program in `programs` (zeros for an empty one), with the
    definitions of `outcomes`. A constant number of queries whatever the number of programs."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    figures = _Figures(programs, period, None, BY_PROGRAM, checked, as_of, bench)
    program_ids: Iterable[int] = (
        programs.order_by().values_list("pk", flat=True)
        if isinstance(programs, QuerySet)
        else [p.pk if isinstance(p, Program) else p for p in programs]
    )
    return {pk: figures.outcomes(pk) for pk in program_ids}


def outcomes_by_specialist(
    programs: Programs,
    period: Period,
    *,
    denominator: str | None = None,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> list[tuple[User, Outcomes]]:
    """[(User, Outcomes)] per specialist, ordered by name: the specialists of the programs in force
    during the period plus anyone a client in the period is attributed to (the specialist of the
    client's latest episode active in the period). Divisors are the specialist's own FTE and FTE
    weeks in the programs (None figures when not in force); contacts are those the specialist made
    with the programs' employers. Clients whose episode has no specialist are in no row.
    A constant number of queries whatever the number of specialists."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    figures = _Figures(programs, period, None, BY_SPECIALIST, checked, as_of, bench)
    people = {pk: user for staff in figures.staff.values() for pk, user in staff.people.items()}
    others = figures.client_keys() - set(people)
    if others:  # attributed clients of someone not in force in the period (a former specialist)
        people.update((user.pk, user) for user in User.objects.filter(pk__in=others))
    users = sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.username))
    return [(user, figures.outcomes(user.pk)) for user in users]


def contacts_per_week_by_specialist(
    programs: Programs,
    period: Period,
    *,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[int, float | None]:
    """{specialist id: employer_contacts_per_specialist_week}, the figure `outcomes_by_specialist` gives
    each specialist in force during the period (a specialist not listed has None there), without the
    client figures: two queries (contacts and staff)."""
    bench = current_benchmarks(benchmarks)
    as_of = as_of or period_as_of(period, benchmarks=bench)
    weeks_end, _weeks = contact_weeks(period, as_of)
    counted = counted_period(period, as_of)
    contacts = _contact_figures(programs, counted, None, BY_SPECIALIST, weeks_end)
    staff = staff_by_group(programs, counted, weeks_end, BY_SPECIALIST, None)
    return {key: _per_week(contacts.get(key, {}), each) for key, each in staff.items() if key is not None}


def employment_rate_trend(
    programs: Programs,
    period: Period,
    n: int = 8,
    *,
    specialists: Specialists = None,
    denominator: str | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> list[tuple[Period, Rate]]:
    """[(Period, Rate)] for the `n` periods ending with `period`, oldest first; the rate of each
    is `outcomes(...).employment_rate` for that period. One query for all the periods."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    ids = specialist_ids(specialists)
    quarters = period.quarters_back(n)
    trend = []
    for each, row in zip(quarters, rates_by_period(programs, quarters, ids), strict=True):
        if checked == OUT_OF_WORK:
            rate = Rate(row["working_oow"], row["active_oow"])
        else:
            rate = Rate(row["working"], row["active"])
        trend.append((each, rate))
    return trend
