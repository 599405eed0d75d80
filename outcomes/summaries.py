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
from jobs.models import JobStart
from programs.models import Program, User

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
    attributed_episodes,
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
    education_between,
    employer_contacts,
    first_contact_enrollments,
    job_starts,
    jobs_held,
    with_first_in_episode,
)
from .staffing import Staff, staff_by_group


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
    the attributed episodes (one row per active client)."""
    qs = attributed_episodes(period).filter(client__program__in=programs)
    ids = specialist_ids(specialists)
    if ids is not None:
        qs = qs.filter(specialist__in=ids)
    # Uncorrelated `client IN (...)` sets: hashed once by PostgreSQL instead of a lookup per row.
    of_programs = {"client__program__in": programs}
    working = Q(
        client__in=JobStart.objects.competitive()
        .held_between(period.start, period.end)
        .filter(**of_programs)
        .values("client")
    )
    in_education = Q(client__in=education_between(period).filter(**of_programs).values("client"))
    open_at_end = Q(
        client__in=Enrollment.objects.filter(enrollment_date__isnull=False, **of_programs)
        .active_between(period.end, period.end)
        .values("client")
    )
    key = group_key(group, period, "client", "client__program", "specialist")
    out_of_work = Q(employed_at_enrollment=False)
    return aggregate(
        qs,
        key,
        active=Count("pk"),
        working=Count("pk", filter=working),
        active_oow=Count("pk", filter=out_of_work),
        working_oow=Count("pk", filter=working & out_of_work),
        in_education=Count("pk", filter=in_education),
        caseload_at_end=Count("pk", filter=open_at_end),
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


Contacted = tuple[datetime.date, datetime.date | None]


def _first_contact_rows(
    programs: Programs, period: Period, specialists: Specialists, group: Group, as_of: datetime.date
) -> list[tuple[Any, ...]]:
    """(group, enrollment date, first contact date) for every episode newly enrolled. One query."""
    qs = first_contact_enrollments(programs, period, specialists, as_of)
    return grouped_rows(
        qs, group_key(group, period, "client", "client__program"), "enrollment_date", "first_contact_date"
    )


@dataclass(frozen=True)
class FirstContact:
    """Days to first employer contact of a period's new clients (see `first_contact_figures`)."""

    median: float | None
    median_over: int | None
    within: Rate


def first_contact_figures(rows: Iterable[Contacted], target_days: int, as_of: datetime.date) -> FirstContact:
    """From (enrollment date, first contact date or None) pairs, with N = `target_days`:

    - Counted clients: those contacted by as_of, and those not contacted whose N-day window has fully
      elapsed by as_of (enrollment_date + N < as_of); a client enrolled yesterday is not judged yet.
    - Within target: contacted within N days / counted clients.
    - Median: over the counted clients, a client not contacted by as_of counting as "more than the
      days elapsed since enrolling" (at least N + 1). When no counted client is uncontacted it is the
      plain median. When the middle value(s) are contacted clients' days no greater than the fewest
      days any uncontacted client has waited, every uncontacted client ranks after them and it is that
      median. Otherwise (the middle falls among the uncontacted, or among days that an uncontacted
      client's unknown days could precede) it is reported as "> N": `median` None, `median_over` = N."""
    days: list[int] = []
    within, uncontacted = 0, 0
    waited = None  # the fewest days an uncontacted, counted client has waited by as_of
    for enrolled, contacted in rows:
        if contacted is not None:
            elapsed = (contacted - enrolled).days
            days.append(elapsed)
            within += elapsed <= target_days
        elif (elapsed := (as_of - enrolled).days) > target_days:
            uncontacted += 1
            waited = elapsed if waited is None else min(waited, elapsed)
    counted = len(days) + uncontacted
    rate = Rate(within, counted)
    if not counted:
        return FirstContact(None, None, rate)
    days.sort()
    if not uncontacted:
        return FirstContact(median(days), None, rate)
    middle = [(counted - 1) // 2, counted // 2]  # the one or two middle positions
    if waited is not None and all(i < len(days) and days[i] <= waited for i in middle):
        return FirstContact((days[middle[0]] + days[middle[1]]) / 2, None, rate)
    return FirstContact(None, target_days, rate)


def counted_period(period: Period, as_of: datetime.date) -> Period:
    """The days whose records count: the period, cut at `as_of` when it is still running, so that
    nothing dated after the as-of day (a future-dated enrollment, job start, closure or contact) is
    counted. A period that has not started yet is left whole."""
    if period.start <= as_of < period.end:
        return Period.custom(period.start, as_of, period.label)
    return period


def contact_weeks(period: Period, as_of: datetime.date) -> tuple[datetime.date, float]:
    """(last day, weeks) that employer contacts per specialist per week are counted over: the whole
    period (its days / 7) once it has ended by `as_of`; while it runs, the full weeks elapsed from
    its first day through the as-of day (a week of 7 days; 61 days elapsed -> 8 weeks, the contacts of
    those 56 days), 0 before the first full week."""
    if as_of >= period.end:
        return period.end, period.weeks
    full = max((as_of - period.start).days + 1, 0) // 7
    return period.start + datetime.timedelta(days=7 * full - 1), float(full)


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


class _Figures:
    """Every figure of `outcomes`, grouped by `group` (None, BY_PROGRAM or BY_SPECIALIST), from a
    constant number of queries (seven); `.outcomes(key, n_spec)` builds one group's Outcomes (an
    unknown key, e.g. an empty program, gives zeros and rates with value None)."""

    def __init__(
        self,
        programs: Programs,
        period: Period,
        specialists: Specialists,
        group: Group,
        denominator: str,
        as_of: datetime.date | None,
        benchmarks: BenchmarkSettings,
    ) -> None:
        self.denominator, self.benchmarks = denominator, benchmarks
        self.as_of = as_of or period_as_of(period, benchmarks=benchmarks)
        self.weeks_end, self.weeks = contact_weeks(period, self.as_of)
        period = self.period = counted_period(period, self.as_of)
        self.clients = _client_figures(programs, period, specialists, group)
        self.enrollments = _enrollment_figures(programs, period, specialists, group)
        self.starts = _start_figures(programs, period, specialists, group)
        self.held, self.tenures, self.wages = _held_figures(programs, period, specialists, group, self.as_of)
        self.first_contact: dict[GroupKey, list[Contacted]] = {}
        for key, enrolled, contacted in _first_contact_rows(programs, period, specialists, group, self.as_of):
            self.first_contact.setdefault(key, []).append((enrolled, contacted))
        self.contacts = _contact_figures(programs, period, specialists, group, self.weeks_end)
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
        # Per full-time-equivalent week of the specialists in force (outcomes.staffing).
        per_week = contacts.get("contacts_in_weeks", 0) / staff.fte_weeks if staff.fte_weeks else None
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
) -> Outcomes:
    """All outcome measures for the programs (or the clients of `specialists`) in the period.

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
    return _Figures(programs, period, ids, None, checked, as_of, bench).outcomes(None)


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
    is `outcomes(...).employment_rate` for that period. One query per period (n queries)."""
    bench = current_benchmarks(benchmarks)
    checked = checked_denominator(denominator, bench)
    ids = specialist_ids(specialists)
    trend = []
    for each in period.quarters_back(n):
        row = _client_figures(programs, each, ids, None)[None]
        if checked == OUT_OF_WORK:
            rate = Rate(row["working_oow"], row["active_oow"])
        else:
            rate = Rate(row["working"], row["active"])
        trend.append((each, rate))
    return trend
