"""Every IPS outcome number, defined once (section 3 of the domain reference).

Dashboards, quarterly reports, fidelity suggestions and the API call this module; nothing else
computes a rate. Arguments everywhere:

- `programs`: a Program queryset, already scoped to the user by the caller;
- `period`: a `Period` (quarter, month or custom inclusive range of days);
- `specialists`: optional iterable of user ids. A client belongs to the specialist of the
  enrollment episode active in the period (the latest one, by enrollment date, if several);
  every client-based figure for "specialists S" counts the clients attributed to S.
  Employer contacts belong to the specialist who made them.

Shared definitions (each function's docstring repeats the part it uses):

- An *episode active in the period* has an enrollment date on or before the period's last day
  and no closure date before its first day (closed on the first day is still active). Episodes
  without an enrollment date are never counted; `data_quality` lists them.
- The *active caseload* is the clients with at least one active episode (each client once).
- Only competitive jobs (`JobStart.is_competitive`) count in any employment outcome; a job is
  *held* in the period when it started on or before the last day and did not end before the first.
- Job-based figures (starts, jobs held, tenure, hours, wages) count the jobs of active clients.

All functions aggregate in the database with a number of queries that does not depend on the
number of clients, specialists or programs. Medians are taken in Python from one values_list.
"""

import datetime
import statistics
from dataclasses import dataclass, fields
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone

from benchmarks.models import BenchmarkSettings, Denominator
from clients.models import Client, Contact, ContactPlace, ContactWith, EducationActivity, Enrollment
from jobs.models import EmployerContact, FollowAlongSupport, JobStart
from programs.models import Membership, Role

from .periods import Period, Rate, add_months

__all__ = [
    "DEFINITION_VERSION",
    "HOURS_THRESHOLD",
    "Band",
    "CohortRate",
    "DataQuality",
    "Outcomes",
    "Period",
    "Rate",
    "active_clients",
    "active_enrollments",
    "add_months",
    "all_job_starts",
    "benchmark_snapshot",
    "client_contacts",
    "clients_in_education",
    "closures",
    "cohort_enrollments",
    "cohort_rate",
    "community_share",
    "competitive_share",
    "data_quality",
    "employer_contacts",
    "employer_diversity",
    "employment_rate_trend",
    "first_contact_enrollments",
    "first_job_starts",
    "follow_along_within",
    "job_starts",
    "job_starts_with_follow_up",
    "job_type_diversity",
    "jobs_held",
    "new_enrollments",
    "outcomes",
    "outcomes_by_program",
    "outcomes_by_specialist",
    "period_as_of",
    "rate_band",
    "working_clients",
]

# Bump when a definition below changes: quarterly snapshots store it so that old figures stay
# explainable.
DEFINITION_VERSION = "2026.1"

# The reference's "hours per week (share >= 20)". BenchmarkSettings has no field for it.
HOURS_THRESHOLD = 20

ALL_ACTIVE = Denominator.ALL_ACTIVE.value
OUT_OF_WORK = Denominator.OUT_OF_WORK.value

# Group keys: the rows of an aggregate are grouped by program, by specialist, or not at all.
BY_PROGRAM = "program"
BY_SPECIALIST = "specialist"


# ----------------------------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------------------------
def _episodes_active(period, client_ref):
    """Episodes of the client at OuterRef(client_ref) active in the period."""
    return Enrollment.objects.filter(client=OuterRef(client_ref), enrollment_date__isnull=False).active_between(
        period.start, period.end
    )


def _latest_active(period, client_ref, column):
    """`column` of the client's latest episode active in the period (None when not active)."""
    return Subquery(_episodes_active(period, client_ref).order_by("-enrollment_date", "-pk").values(column)[:1])


def _specialist_of(period, client_ref):
    """The specialist a client is attributed to for the period: the `specialist` of the episode
    active in the period, the latest one (by enrollment date) if several."""
    return _latest_active(period, client_ref, "specialist")


def _client_is_active(period, client_ref):
    return Exists(_episodes_active(period, client_ref))


def _held_competitive(period, client_ref):
    return JobStart.objects.competitive().held_between(period.start, period.end).filter(client=OuterRef(client_ref))


def _specialist_ids(specialists):
    if specialists is None:
        return None
    return sorted({getattr(s, "pk", s) for s in specialists})


def _attributed_episodes(period):
    """One row per active client: the episode the client is attributed to for the period, i.e.
    their latest episode active in it (by enrollment date, then id). Same choice as
    `_latest_active`, written as an anti-join so that its columns are plain columns."""
    later = (
        Enrollment.objects.filter(client=OuterRef("client"), enrollment_date__isnull=False)
        .active_between(period.start, period.end)
        .filter(
            Q(enrollment_date__gt=OuterRef("enrollment_date"))
            | Q(enrollment_date=OuterRef("enrollment_date"), pk__gt=OuterRef("pk"))
        )
    )
    return (
        Enrollment.objects.filter(enrollment_date__isnull=False)
        .active_between(period.start, period.end)
        .filter(~Exists(later))
    )


def _for_specialists(qs, period, client_ref, specialists):
    """`qs` restricted to rows whose client (at `client_ref`) is attributed to `specialists`."""
    ids = _specialist_ids(specialists)
    if ids is None:
        return qs
    attributed = _attributed_episodes(period).filter(specialist__in=ids).values("client")
    return qs.filter(**{f"{client_ref}__in": attributed})


def _group_key(group, period, client_ref, program_path, specialist_path=None):
    """The expression rows are grouped by: the program at `program_path`, or the specialist at
    `specialist_path` when the row carries it, else the client's attributed specialist."""
    if group == BY_PROGRAM:
        return F(program_path)
    if group == BY_SPECIALIST:
        return F(specialist_path) if specialist_path else _specialist_of(period, client_ref)
    return None


def _aggregate(qs, key, **aggregates):
    """{group key: {name: value}}; the single key None when `key` is None. One query."""
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.order_by().annotate(_group=key).values("_group").annotate(**aggregates)
    return {row.pop("_group"): row for row in rows}


def _rows(qs, key, *columns):
    """[(group key, *columns)] from one values_list query."""
    if key is None:
        return [(None, *row) for row in qs.order_by().values_list(*columns)]
    return list(qs.order_by().annotate(_group=key).values_list("_group", *columns))


def _median(values):
    values = [v for v in values if v is not None]
    return float(statistics.median(values)) if values else None


def _benchmarks(benchmarks=None):
    return benchmarks or BenchmarkSettings.current()


def _denominator(denominator, benchmarks):
    denominator = denominator or benchmarks.employment_rate_denominator
    if denominator not in (ALL_ACTIVE, OUT_OF_WORK):
        raise ValueError(f"Unknown denominator {denominator!r}: use {ALL_ACTIVE!r} or {OUT_OF_WORK!r}.")
    return denominator


def _today(as_of):
    return as_of or timezone.localdate()


def period_as_of(period, today=None, benchmarks=None):
    """The day a period's figures are read as of: the day after the target window of the period's
    last new client has closed (last day + `first_employer_contact_days` + 1), or today if earlier.

    Dashboards and quarterly snapshots both use it, so a quarter shows the same figures live and in
    its report, a report regenerated later gives the same numbers unless records changed, and a client
    enrolled late in a quarter is still judged on their whole window (reading as of the last day
    would leave them out of every quarter's first-contact share)."""
    bench = _benchmarks(benchmarks)
    closed = period.end + datetime.timedelta(days=bench.first_employer_contact_days + 1)
    return min(closed, today or timezone.localdate())


def _shifted(field, days_in_range, shift):
    """A date expression equal to shift(value of `field`) for each day in `days_in_range`
    (portable date arithmetic: SQLite has no date + interval)."""
    whens = [When(**{field: day}, then=Value(shift(day))) for day in days_in_range]
    if not whens:
        return Value(None, output_field=DateField())
    return Case(*whens, default=Value(None), output_field=DateField())


# ----------------------------------------------------------------------------------------------
# Querysets behind every number (the drill-downs)
# ----------------------------------------------------------------------------------------------
def active_enrollments(programs, period, specialists=None):
    """Episodes active in the period: enrollment date on or before the period's last day and not
    closed before its first day; episodes without an enrollment date are excluded (see
    `data_quality`). With `specialists`: the active episodes of clients attributed to them."""
    qs = Enrollment.objects.filter(client__program__in=programs, enrollment_date__isnull=False).active_between(
        period.start, period.end
    )
    return _for_specialists(qs, period, "client", specialists)


def active_clients(programs, period, specialists=None, denominator=None):
    """The active caseload: clients with at least one episode active in the period, each once.

    `denominator="out_of_work"` keeps only clients whose episode active in the period (the
    latest, if several) has employed_at_enrollment=False. `None` means all active clients
    (this drill-down does not read the BenchmarkSettings default; `outcomes` does)."""
    qs = Client.objects.filter(program__in=programs).filter(_client_is_active(period, "pk"))
    if denominator == OUT_OF_WORK:
        qs = qs.filter(pk__in=_attributed_episodes(period).filter(employed_at_enrollment=False).values("client"))
    elif denominator not in (None, ALL_ACTIVE):
        raise ValueError(f"Unknown denominator {denominator!r}.")
    return _for_specialists(qs, period, "pk", specialists)


def working_clients(programs, period, specialists=None, denominator=None):
    """Active clients (restricted like `active_clients` for the denominator) who held a
    competitive job on at least one day of the period."""
    return active_clients(programs, period, specialists, denominator).filter(Exists(_held_competitive(period, "pk")))


def _jobs_of_active_clients(programs, period, specialists):
    qs = JobStart.objects.filter(client__program__in=programs).filter(_client_is_active(period, "client"))
    return _for_specialists(qs, period, "client", specialists)


def job_starts(programs, period, specialists=None):
    """Competitive jobs with a start date in the period, of clients in the active caseload."""
    return (
        _jobs_of_active_clients(programs, period, specialists)
        .competitive()
        .filter(start_date__gte=period.start, start_date__lte=period.end)
    )


def _episode_start_of_job():
    """Enrollment date of the episode containing the job's start date (the latest if several)."""
    return Subquery(
        Enrollment.objects.filter(
            client=OuterRef("client"), enrollment_date__isnull=False, enrollment_date__lte=OuterRef("start_date")
        )
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=OuterRef("start_date")))
        .order_by("-enrollment_date", "-pk")
        .values("enrollment_date")[:1]
    )


def _with_first_in_episode(qs):
    """Alias `_episode_start` (enrollment date of the episode containing the job's start) and
    `_has_earlier` (another competitive job of the client started in that episode before this
    one; same day: lower id first) on a JobStart queryset; FIRST_IN_EPISODE filters on them."""
    earlier = (
        JobStart.objects.competitive()
        .filter(client=OuterRef("client"), start_date__gte=OuterRef("_episode_start"))
        .filter(Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk")))
    )
    return qs.alias(_episode_start=_episode_start_of_job(), _has_earlier=Exists(earlier))


FIRST_IN_EPISODE = Q(_episode_start__isnull=False, _has_earlier=False)


def first_job_starts(programs, period, specialists=None):
    """Job starts (see `job_starts`) that are the client's first competitive job in the enrollment
    episode containing the job's start date. A job held from before enrollment does not count
    as a start in the episode; a re-enrolled client can have a first job start in each episode."""
    return _with_first_in_episode(job_starts(programs, period, specialists)).filter(FIRST_IN_EPISODE)


def jobs_held(programs, period, specialists=None):
    """Competitive jobs of active clients held on at least one day of the period (started on or
    before its last day and not ended before its first; no end date = still held)."""
    return _jobs_of_active_clients(programs, period, specialists).competitive().held_between(period.start, period.end)


def new_enrollments(programs, period, specialists=None):
    """Episodes whose enrollment date is in the period."""
    qs = Enrollment.objects.filter(
        client__program__in=programs, enrollment_date__gte=period.start, enrollment_date__lte=period.end
    )
    return _for_specialists(qs, period, "client", specialists)


def closures(programs, period, specialists=None):
    """Episodes (with an enrollment date) closed in the period."""
    qs = Enrollment.objects.filter(
        client__program__in=programs,
        enrollment_date__isnull=False,
        closure_date__gte=period.start,
        closure_date__lte=period.end,
    )
    return _for_specialists(qs, period, "client", specialists)


def _education_between(period):
    """Education activities on at least one day of the period."""
    return EducationActivity.objects.filter(start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def _in_education(period, client_ref):
    return Exists(_education_between(period).filter(client=OuterRef(client_ref)))


def clients_in_education(programs, period, specialists=None):
    """Active clients with an education activity on at least one day of the period."""
    return active_clients(programs, period, specialists).filter(_in_education(period, "pk"))


def _program_specialists(programs):
    return Membership.objects.filter(role=Role.SPECIALIST, is_active=True, program__in=programs)


def _by_member_of_employer_program():
    """The contact's specialist is an active specialist of the employer's program."""
    return Exists(
        Membership.objects.filter(
            user=OuterRef("specialist"), role=Role.SPECIALIST, is_active=True, program=OuterRef("employer__program")
        )
    )


def _contacts_with_employers(programs, period, face_to_face):
    qs = EmployerContact.objects.filter(
        employer__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end
    )
    return qs if face_to_face is None else qs.filter(face_to_face=face_to_face)


def employer_contacts(programs, period, specialists=None, face_to_face=True):
    """Employer contacts with the programs' employers dated in the period. By default only
    face-to-face ones (`face_to_face=None`: all). Made by `specialists` when given, else by the
    active specialists of the employer's program (contacts by supervisors are not counted)."""
    qs = _contacts_with_employers(programs, period, face_to_face)
    ids = _specialist_ids(specialists)
    if ids is None:
        # The IN lets the (specialist, contact_date) index serve; the Exists checks the program.
        members = _program_specialists(programs).values("user")
        return qs.filter(specialist__in=members).filter(_by_member_of_employer_program())
    return qs.filter(specialist__in=ids)


# ----------------------------------------------------------------------------------------------
# Summaries
# ----------------------------------------------------------------------------------------------
@dataclass
class Outcomes:
    """The outcome measures of one set of clients for one period (see `outcomes`)."""

    active_caseload: int = 0
    working: int = 0
    employment_rate: Rate = Rate(0, 0)
    denominator: str = ALL_ACTIVE
    job_starts: int = 0
    first_job_starts: int = 0
    new_enrollments: int = 0
    closures: int = 0
    in_education: int = 0
    first_contact_days_median: float | None = None
    first_contact_within_target: Rate = Rate(0, 0)
    employer_contacts_per_specialist_week: float | None = None
    specialist_count: int = 0
    caseload_per_specialist: float | None = None
    tenure_weeks_median: float | None = None
    hours_20_plus: Rate = Rate(0, 0)
    hourly_wage_median: float | None = None
    # Beyond the contract, for drill-downs and checks:
    employer_contacts: int = 0
    caseload_at_end: int = 0
    jobs_held: int = 0

    def as_dict(self):
        """JSON-safe: rates become {numerator, denominator, value, percent}."""
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.as_dict() if isinstance(value, Rate) else value
        return data


def _client_figures(programs, period, specialists, group):
    """active/working (both denominators), in education and caseload at the end. One query, over
    the attributed episodes (one row per active client)."""
    qs = _attributed_episodes(period).filter(client__program__in=programs)
    ids = _specialist_ids(specialists)
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
    in_education = Q(client__in=_education_between(period).filter(**of_programs).values("client"))
    open_at_end = Q(
        client__in=Enrollment.objects.filter(enrollment_date__isnull=False, **of_programs)
        .active_between(period.end, period.end)
        .values("client")
    )
    key = _group_key(group, period, "client", "client__program", "specialist")
    out_of_work = Q(employed_at_enrollment=False)
    return _aggregate(
        qs,
        key,
        active=Count("pk"),
        working=Count("pk", filter=working),
        active_oow=Count("pk", filter=out_of_work),
        working_oow=Count("pk", filter=working & out_of_work),
        in_education=Count("pk", filter=in_education),
        caseload_at_end=Count("pk", filter=open_at_end),
    )


def _enrollment_figures(programs, period, specialists, group):
    qs = Enrollment.objects.filter(client__program__in=programs, enrollment_date__isnull=False).filter(
        Q(enrollment_date__gte=period.start, enrollment_date__lte=period.end)
        | Q(closure_date__gte=period.start, closure_date__lte=period.end)
    )
    qs = _for_specialists(qs, period, "client", specialists)
    return _aggregate(
        qs,
        _group_key(group, period, "client", "client__program"),
        new_enrollments=Count("pk", filter=Q(enrollment_date__gte=period.start, enrollment_date__lte=period.end)),
        closures=Count("pk", filter=Q(closure_date__gte=period.start, closure_date__lte=period.end)),
    )


def _start_figures(programs, period, specialists, group):
    qs = _with_first_in_episode(job_starts(programs, period, specialists))
    return _aggregate(
        qs,
        _group_key(group, period, "client", "client__program"),
        job_starts=Count("pk"),
        first_job_starts=Count("pk", filter=FIRST_IN_EPISODE),
    )


def _held_figures(programs, period, specialists, group, as_of):
    """Counts of jobs held (hours known / >= threshold) and the per-group medians of tenure and
    wage from one values_list."""
    qs = jobs_held(programs, period, specialists)
    key = _group_key(group, period, "client", "client__program")
    counts = _aggregate(
        qs,
        key,
        jobs_held=Count("pk"),
        hours_known=Count("pk", filter=Q(hours_per_week__isnull=False)),
        hours_20_plus=Count("pk", filter=Q(hours_per_week__gte=HOURS_THRESHOLD)),
    )
    still_held_until = min(as_of, period.end)
    tenures, wages = {}, {}
    for key_value, start, end, wage in _rows(qs, key, "start_date", "end_date", "hourly_wage"):
        until = end if end is not None else still_held_until
        tenures.setdefault(key_value, []).append(max((until - start).days, 0) / 7)
        if wage is not None:
            wages.setdefault(key_value, []).append(wage)
    return counts, tenures, wages


def first_contact_enrollments(programs, period, specialists=None, as_of=None):
    """`new_enrollments` annotated with `first_contact_date`: the first face-to-face
    EmployerContact linked to the client (EmployerContact.clients) dated on or after the
    enrollment date and on or before `as_of` (default today); None when there is none yet.
    The drill-down behind first_contact_days_median / first_contact_within_target."""
    first_contact = Subquery(
        EmployerContact.objects.filter(
            clients=OuterRef("client"),
            face_to_face=True,
            contact_date__gte=OuterRef("enrollment_date"),
            contact_date__lte=_today(as_of),
        )
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
    return new_enrollments(programs, period, specialists).annotate(first_contact_date=first_contact)


def _first_contact_rows(programs, period, specialists, group, as_of):
    """(group, enrollment date, first contact date) for every episode newly enrolled. One query."""
    qs = first_contact_enrollments(programs, period, specialists, as_of)
    return _rows(qs, _group_key(group, period, "client", "client__program"), "enrollment_date", "first_contact_date")


def _first_contact_figures(rows, target_days, as_of):
    """(median days, Rate within target) from (enrollment date, first contact date) pairs.

    Median: over the clients contacted (by as_of). Within target: numerator = contacted within
    `target_days` of enrolling; denominator = contacted at all + not contacted but whose
    `target_days` window has fully elapsed by as_of (enrollment_date + target_days < as_of), so a
    client enrolled yesterday is not a failure before their window ends."""
    days, within, denominator = [], 0, 0
    for enrolled, contacted in rows:
        if contacted is not None:
            elapsed = (contacted - enrolled).days
            days.append(elapsed)
            denominator += 1
            within += elapsed <= target_days
        elif (as_of - enrolled).days > target_days:
            denominator += 1
    return _median(days), Rate(within, denominator)


def _contact_figures(programs, period, specialists, group):
    if group == BY_SPECIALIST:
        # Each specialist's own contacts with the programs' employers, member or not.
        qs = _contacts_with_employers(programs, period, face_to_face=True)
    else:
        qs = employer_contacts(programs, period, specialists)
    key = _group_key(group, period, None, "employer__program", "specialist")
    return _aggregate(qs, key, employer_contacts=Count("pk"))


class _Figures:
    """Every figure of `outcomes`, grouped by `group` (None, BY_PROGRAM or BY_SPECIALIST), from a
    constant number of queries (seven); `.outcomes(key, n_spec)` builds one group's Outcomes (an
    unknown key, e.g. an empty program, gives zeros and rates with value None)."""

    def __init__(self, programs, period, specialists, group, denominator, as_of, benchmarks):
        self.period, self.denominator, self.benchmarks = period, denominator, benchmarks
        self.as_of = _today(as_of)
        self.clients = _client_figures(programs, period, specialists, group)
        self.enrollments = _enrollment_figures(programs, period, specialists, group)
        self.starts = _start_figures(programs, period, specialists, group)
        self.held, self.tenures, self.wages = _held_figures(programs, period, specialists, group, self.as_of)
        self.first_contact = {}
        for key, enrolled, contacted in _first_contact_rows(programs, period, specialists, group, self.as_of):
            self.first_contact.setdefault(key, []).append((enrolled, contacted))
        self.contacts = _contact_figures(programs, period, specialists, group)

    def client_keys(self):
        """Group keys that have clients (the attributed specialists, when grouped by specialist)."""
        keys = set(self.clients) | set(self.enrollments) | set(self.starts) | set(self.held)
        keys.discard(None)
        return keys

    def outcomes(self, key, n_spec):
        clients = self.clients.get(key, {})
        held = self.held.get(key, {})
        starts = self.starts.get(key, {})
        enrollments = self.enrollments.get(key, {})
        if self.denominator == OUT_OF_WORK:
            rate = Rate(clients.get("working_oow", 0), clients.get("active_oow", 0))
        else:
            rate = Rate(clients.get("working", 0), clients.get("active", 0))
        median_days, within = _first_contact_figures(
            self.first_contact.get(key, []), self.benchmarks.first_employer_contact_days, self.as_of
        )
        n_contacts = self.contacts.get(key, {}).get("employer_contacts", 0)
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
            first_contact_days_median=median_days,
            first_contact_within_target=within,
            employer_contacts_per_specialist_week=(n_contacts / n_spec / self.period.weeks) if n_spec else None,
            specialist_count=n_spec,
            caseload_per_specialist=(caseload_at_end / n_spec) if n_spec else None,
            tenure_weeks_median=_median(self.tenures.get(key, [])),
            hours_20_plus=Rate(held.get("hours_20_plus", 0), held.get("hours_known", 0)),
            hourly_wage_median=_median(self.wages.get(key, [])),
            employer_contacts=n_contacts,
            caseload_at_end=caseload_at_end,
            jobs_held=held.get("jobs_held", 0),
        )


def outcomes(programs, period, *, specialists=None, denominator=None, as_of=None, benchmarks=None):
    """All outcome measures for the programs (or the clients of `specialists`) in the period.

    - active_caseload: clients with an episode active in the period (see module docstring),
      each once; episodes with no enrollment date are left out and listed by `data_quality`.
    - working: active clients who held a competitive job on >= 1 day of the period.
    - employment_rate = working / active. `denominator` (default
      BenchmarkSettings.employment_rate_denominator): "all_active", or "out_of_work" = only
      clients whose (latest) active episode has employed_at_enrollment=False, in the numerator
      too. `active_caseload` and `working` always report all active clients.
    - job_starts: competitive jobs of active clients started in the period; first_job_starts:
      those that are the client's first competitive job in the episode containing the start.
    - new_enrollments / closures: episodes enrolled / closed in the period.
    - in_education: active clients with an EducationActivity overlapping the period.
    - first_contact_days_median / first_contact_within_target: for episodes newly enrolled in the
      period, days from enrollment to the first face-to-face EmployerContact linked to the client
      on or after the enrollment date (and on or before `as_of`, default today); median over the
      contacted clients; the share within BenchmarkSettings.first_employer_contact_days counts
      over contacted clients plus uncontacted clients whose window has fully elapsed by as_of.
    - employer_contacts_per_specialist_week: face-to-face employer contacts in the period made by
      the specialists (the given ones, else active specialist Memberships of the employer's
      program) / number of specialists / period.weeks. specialist_count: len(specialists) or the
      number of distinct active specialist memberships in the programs.
    - caseload_per_specialist: active clients with an episode open on the period's last day
      (closed on that day counts as open) / specialist_count.
    - tenure_weeks_median: weeks from start to end date (or, still held, to min(as_of, period
      end)) over the competitive jobs held in the period; hours_20_plus: share of those jobs with
      hours_per_week >= 20, jobs with no hours left out (listed by data_quality);
      hourly_wage_median over those jobs with a wage.
    Rates with a zero denominator have value None, never a division error.
    """
    benchmarks = _benchmarks(benchmarks)
    denominator = _denominator(denominator, benchmarks)
    ids = _specialist_ids(specialists)
    figures = _Figures(programs, period, ids, None, denominator, as_of, benchmarks)
    n_spec = _program_specialists(programs).values("user").distinct().count() if ids is None else len(ids)
    return figures.outcomes(None, n_spec)


def outcomes_by_program(programs, period, *, denominator=None, as_of=None, benchmarks=None):
    """{program id: Outcomes} for every program in `programs` (zeros for an empty one), with the
    definitions of `outcomes`. A constant number of queries whatever the number of programs."""
    benchmarks = _benchmarks(benchmarks)
    denominator = _denominator(denominator, benchmarks)
    figures = _Figures(programs, period, None, BY_PROGRAM, denominator, as_of, benchmarks)
    n_spec = dict(
        _program_specialists(programs)
        .order_by()
        .values("program")
        .annotate(n=Count("user", distinct=True))
        .values_list("program", "n")
    )
    program_ids = (
        programs.order_by().values_list("pk", flat=True)
        if hasattr(programs, "values_list")
        else [getattr(p, "pk", p) for p in programs]
    )
    return {pk: figures.outcomes(pk, n_spec.get(pk, 0)) for pk in program_ids}


def outcomes_by_specialist(programs, period, *, denominator=None, as_of=None, benchmarks=None):
    """[(User, Outcomes)] per specialist, ordered by name: the active specialists of the programs
    plus anyone a client in the period is attributed to (the specialist of the client's latest
    episode active in the period). specialist_count is 1; contacts are those the specialist made
    with the programs' employers. Clients whose episode has no specialist are in no row.
    A constant number of queries whatever the number of specialists."""
    benchmarks = _benchmarks(benchmarks)
    denominator = _denominator(denominator, benchmarks)
    figures = _Figures(programs, period, None, BY_SPECIALIST, denominator, as_of, benchmarks)
    users = (
        get_user_model()
        .objects.filter(Q(pk__in=_program_specialists(programs).values("user")) | Q(pk__in=figures.client_keys()))
        .distinct()
    )
    return [(user, figures.outcomes(user.pk, 1)) for user in users]


def employment_rate_trend(programs, period, n=8, *, specialists=None, denominator=None, benchmarks=None):
    """[(Period, Rate)] for the `n` periods ending with `period`, oldest first; the rate of each
    is `outcomes(...).employment_rate` for that period. One query per period (n queries)."""
    benchmarks = _benchmarks(benchmarks)
    denominator = _denominator(denominator, benchmarks)
    ids = _specialist_ids(specialists)
    trend = []
    for each in period.quarters_back(n):
        row = _client_figures(programs, each, ids, None)[None]
        if denominator == OUT_OF_WORK:
            rate = Rate(row["working_oow"], row["active_oow"])
        else:
            rate = Rate(row["working"], row["active"])
        trend.append((each, rate))
    return trend


@dataclass(frozen=True)
class CohortRate:
    rate: Rate
    months: int
    follow_up_complete: bool

    def as_dict(self):
        return {"rate": self.rate.as_dict(), "months": self.months, "follow_up_complete": self.follow_up_complete}


def cohort_enrollments(programs, cohort_period, *, months=None, as_of=None, benchmarks=None):
    """Episodes with an enrollment date in `cohort_period`, annotated with `started_job`: the
    client started a competitive job on or after that enrollment date and within `months`
    (default BenchmarkSettings.cumulative_months) calendar months of it (31 Jan + 1 month =
    28/29 Feb), counting only jobs started by `as_of` (default today). The drill-down of
    `cohort_rate`. Two queries (the cohort's enrollment dates, then the rows)."""
    benchmarks = _benchmarks(benchmarks)
    months = months if months is not None else benchmarks.cumulative_months
    as_of = _today(as_of)
    cohort = Enrollment.objects.filter(
        client__program__in=programs,
        enrollment_date__gte=cohort_period.start,
        enrollment_date__lte=cohort_period.end,
    )
    dates = sorted(set(cohort.order_by().values_list("enrollment_date", flat=True)))
    deadline = _shifted("enrollment_date", dates, lambda day: min(add_months(day, months), as_of))
    started = JobStart.objects.competitive().filter(
        client=OuterRef("client"), start_date__gte=OuterRef("enrollment_date"), start_date__lte=OuterRef("_deadline")
    )
    return cohort.alias(_deadline=deadline).annotate(started_job=Exists(started))


def cohort_rate(programs, cohort_period, *, months=None, as_of=None, benchmarks=None):
    """Cumulative rate: of the clients with an enrollment date in `cohort_period` (each once, even
    if enrolled twice in it), the share who started a competitive job within `months` of an
    enrollment date (see `cohort_enrollments`). follow_up_complete is True once as_of >= the
    cohort period's end + months; before that the rate is provisional. Compare with
    BenchmarkSettings.cumulative_rate (~60%), not with the quarterly rate. Two queries."""
    benchmarks = _benchmarks(benchmarks)
    months = months if months is not None else benchmarks.cumulative_months
    as_of = _today(as_of)
    row = cohort_enrollments(programs, cohort_period, months=months, as_of=as_of, benchmarks=benchmarks).aggregate(
        clients=Count("client", distinct=True),
        started=Count("client", distinct=True, filter=Q(started_job=True)),
    )
    return CohortRate(
        rate=Rate(row["started"], row["clients"]),
        months=months,
        follow_up_complete=as_of >= add_months(cohort_period.end, months),
    )


@dataclass(frozen=True)
class Band:
    code: str
    label: str


BAND_LABELS = {
    "no_data": "No data",
    "below_minimal": "Below minimal",
    "minimal": "Minimal",
    "average": "Average",
    "excellent": "Excellent",
    "below_ips_grow": "Below the IPS Grow benchmark",
    "meets_ips_grow": "Meets the IPS Grow benchmark",
}


def rate_band(rate, benchmarks=None, denominator=None):
    """The benchmark band of a quarterly employment rate (exact comparison, no float rounding).

    The denominator, like `outcomes`'s, defaults to BenchmarkSettings.employment_rate_denominator.
    Over all active clients: value < minimal -> below_minimal; < average -> minimal;
    < excellent -> average; else excellent (BenchmarkSettings.quarterly_rate_*). Over clients out of
    work at enrollment (`denominator="out_of_work"`), the rate is IPS Grow's, compared with its own
    benchmark (BenchmarkSettings.ips_grow_rate): below_ips_grow or meets_ips_grow. No denominator ->
    no_data."""
    if rate is None or not rate.denominator:
        return Band("no_data", BAND_LABELS["no_data"])
    benchmarks = _benchmarks(benchmarks)
    value = Fraction(rate.numerator, rate.denominator) * 100
    if _denominator(denominator, benchmarks) == OUT_OF_WORK:
        code = "meets_ips_grow" if value >= Fraction(benchmarks.ips_grow_rate) else "below_ips_grow"
    elif value < Fraction(benchmarks.quarterly_rate_minimal):
        code = "below_minimal"
    elif value < Fraction(benchmarks.quarterly_rate_average):
        code = "minimal"
    elif value < Fraction(benchmarks.quarterly_rate_excellent):
        code = "average"
    else:
        code = "excellent"
    return Band(code, BAND_LABELS[code])


def benchmark_snapshot(benchmarks=None):
    """The benchmark figures as a JSON-safe dict (percentages as floats), for report snapshots."""
    benchmarks = _benchmarks(benchmarks)
    data = {}
    for f in BenchmarkSettings._meta.concrete_fields:
        if f.name in ("id", "updated_at", "updated_by"):
            continue
        value = getattr(benchmarks, f.attname)
        data[f.name] = float(value) if hasattr(value, "as_tuple") else value
    return data


# ----------------------------------------------------------------------------------------------
# Data quality
# ----------------------------------------------------------------------------------------------
@dataclass
class DataQuality:
    """Records left out of (or weakening) the figures, so nothing is dropped silently."""

    enrollments_missing_dates: object
    jobs_missing_fields: object
    contacts_missing_mode: object

    def as_dict(self):
        data = {}
        for name in ("enrollments_missing_dates", "jobs_missing_fields", "contacts_missing_mode"):
            ids = list(getattr(self, name).order_by("pk").values_list("pk", flat=True))
            data[name] = {"count": len(ids), "ids": ids}
        return data


def data_quality(programs, period):
    """- enrollments_missing_dates: episodes with no enrollment date that touch the period
      (referred on or before its last day, not closed before its first). They are not in the
      caseload; pending referrals are listed too, for staff to check.
    - jobs_missing_fields: jobs (any kind) held in the period with no hours or no occupation group.
    - contacts_missing_mode: client contacts dated in the period with no mode."""
    enrollments = Enrollment.objects.filter(
        client__program__in=programs, enrollment_date__isnull=True, referral_date__lte=period.end
    ).filter(Q(closure_date__isnull=True) | Q(closure_date__gte=period.start))
    jobs = (
        JobStart.objects.filter(client__program__in=programs)
        .held_between(period.start, period.end)
        .filter(Q(hours_per_week__isnull=True) | Q(occupation_group=""))
    )
    contacts = Contact.objects.filter(
        client__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end, mode=""
    )
    return DataQuality(enrollments, jobs, contacts)


# ----------------------------------------------------------------------------------------------
# Fidelity evidence
# ----------------------------------------------------------------------------------------------
def all_job_starts(programs, period):
    """All jobs, competitive or not, of active clients started in the period: the drill-down of
    job_type_diversity, employer_diversity and competitive_share."""
    return _jobs_of_active_clients(programs, period, None).filter(
        start_date__gte=period.start, start_date__lte=period.end
    )


def job_type_diversity(programs, period):
    """Distinct occupation groups (blank ones not counted) / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(
        groups=Count("occupation_group", distinct=True, filter=~Q(occupation_group="")), starts=Count("pk")
    )
    return Rate(row["groups"], row["starts"])


def employer_diversity(programs, period):
    """Distinct employers / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(employers=Count("employer", distinct=True), starts=Count("pk"))
    return Rate(row["employers"], row["starts"])


def competitive_share(programs, period):
    """Competitive job starts / all job starts in the period."""
    row = all_job_starts(programs, period).aggregate(
        competitive=Count("pk", filter=Q(is_competitive=True)), starts=Count("pk")
    )
    return Rate(row["competitive"], row["starts"])


def job_starts_with_follow_up(programs, period, days=None, benchmarks=None):
    """`job_starts` annotated with `followed_up`: a follow-along support for the job, or a contact
    with the client (Contact.with_whom = client), dated from the start date to `days` (default
    BenchmarkSettings.job_start_followup_days) days after it. Two queries to evaluate."""
    if days is None:
        days = _benchmarks(benchmarks).job_start_followup_days
    starts = job_starts(programs, period)
    start_dates = sorted(set(starts.order_by().values_list("start_date", flat=True)))
    deadline = _shifted("start_date", start_dates, lambda day: day + datetime.timedelta(days=days))
    support = FollowAlongSupport.objects.filter(
        job=OuterRef("pk"), support_date__gte=OuterRef("start_date"), support_date__lte=OuterRef("_deadline")
    )
    contact = Contact.objects.filter(
        client=OuterRef("client"),
        with_whom=ContactWith.CLIENT,
        contact_date__gte=OuterRef("start_date"),
        contact_date__lte=OuterRef("_deadline"),
    )
    return starts.alias(_deadline=deadline).annotate(followed_up=Exists(support) | Exists(contact))


def follow_along_within(programs, period, days=None, benchmarks=None):
    """Competitive job starts in the period followed up within `days` (see
    `job_starts_with_follow_up`) / competitive job starts in the period. Two queries."""
    row = job_starts_with_follow_up(programs, period, days, benchmarks).aggregate(
        followed=Count("pk", filter=Q(followed_up=True)), starts=Count("pk")
    )
    return Rate(row["followed"], row["starts"])


def client_contacts(programs, period):
    """Contacts (the contact log) with the programs' clients dated in the period."""
    return Contact.objects.filter(
        client__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end
    )


def community_share(programs, period):
    """Minutes of client contacts in the community / minutes of all client contacts dated in the
    period (contacts with no minutes are left out)."""
    row = (
        client_contacts(programs, period)
        .filter(minutes__isnull=False)
        .aggregate(community=Sum("minutes", filter=Q(place=ContactPlace.COMMUNITY)), total=Sum("minutes"))
    )
    return Rate(row["community"] or 0, row["total"] or 0)
