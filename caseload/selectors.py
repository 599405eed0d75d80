"""Read models that combine clients and jobs: phases, alerts, the caseload and the client timeline.

A client's phase and alerts are decided in SQL by caseload.rules (each rule written once); pages call
`caseload()` / `client_status()` / `timeline()` here, and nothing else re-derives them.

Every figure is read with a fixed number of queries: the caseload is one counts query and one page of
annotated rows (plus the benchmark settings and the specialists' names) whatever the number of
clients or the length of their histories, and the timeline merges a fixed number of limited
querysets in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from benchmarks.models import BenchmarkSettings
from clients import selectors as client_selectors
from clients.models import BenefitsCounselingSession, Client, Contact, EmploymentPlan, Enrollment, PlanStep
from jobs.models import EmployerContact, FollowAlongSupport, JobStart
from programs.access import Capability, programs_for
from programs.models import Program, Role, User

from . import rules

# Re-exported: pages, digests and tests import them from here.
from .rules import Alert as Alert
from .rules import AlertCode as AlertCode
from .rules import Phase as Phase

# A Client from `with_status()`, then `decide()`: its annotations and decisions are attributes set at
# run time (has_open_episode, job_start, phase, alerts...), which the type checker cannot see.
StatusRow = Any

SORTS = {
    "name": "Name",
    "alerts": "Most alerts first",
    "last_contact": "Longest without contact",
    "phase": "Phase",
}


def _today(as_of: datetime.date | None = None) -> datetime.date:
    return as_of or timezone.localdate()


def with_status(
    clients: QuerySet[Client], benchmarks: BenchmarkSettings | None = None, today: datetime.date | None = None
) -> rules.Decided:
    """Annotate a Client queryset with its facts, phase and alerts (caseload.rules): one SQL query."""
    decided = rules.decisions(clients, benchmarks or BenchmarkSettings.current(), _today(today))
    return decided.select_related("program", "treatment_team")


def decide(client: StatusRow, today: datetime.date) -> StatusRow:
    """Set the display attributes of one row of `with_status()` from its annotations (no queries, no rule)."""
    client.phase_label = Phase.LABELS[client.phase]
    client.days_since_contact = (today - client.last_contact).days if client.last_contact else None
    client.is_pending_referral = client.has_open_episode and client.episode_enrolled is None
    client.alerts = rules.alerts_of(client, today)
    client.alert_codes = {a.code for a in client.alerts}
    return client


def specialist_names(ids: Iterable[int | None]) -> dict[int, str]:
    """{user id: name} for the specialists on a page, in one query."""
    known = {i for i in ids if i is not None}
    if not known:
        return {}
    return {u.pk: str(u) for u in User.objects.filter(pk__in=known)}


def default_scope(roles: set[str]) -> str:
    """Specialists start on their own caseload; supervisors and administrators on the whole program."""
    return "mine" if Role.SPECIALIST in roles and not roles & {Role.SUPERVISOR, Role.ADMIN} else "program"


@dataclass
class Caseload:
    rows: list[StatusRow]  # the page shown (every matching row when no page is asked for)
    total: int  # clients in scope (and matching the search), before the phase and alert filters
    matching: int = 0  # clients after every filter, on all pages
    phase_counts: dict[str, int] = field(default_factory=dict)
    alert_counts: dict[str, int] = field(default_factory=dict)
    multi_program: bool = False
    page: Page | None = None


class _CountedPaginator(Paginator):
    """A Paginator told its count (the counts query already has it) instead of running COUNT(*)."""

    def __init__(self, object_list: QuerySet[Client], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _ordering(sort: str) -> list[Any]:
    by_name = [Lower("last_name"), Lower("first_name"), "pk"]
    if sort == "alerts":
        return [F("alert_count").desc(), *by_name]
    if sort == "last_contact":
        # Never contacted first, then the longest ago.
        return [F("last_contact").asc(nulls_first=True), *by_name]
    if sort == "phase":
        return ["phase_rank", *by_name]
    return by_name


def caseload(
    user: User,
    *,
    whole_program: bool = False,
    phase: str = "",
    alert: str = "",
    q: str = "",
    sort: str = "name",
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
    page: int | str | None = None,
    page_size: int | None = None,
    programs: Iterable[Program] | None = None,
) -> Caseload:
    """The clients a user works with, each with phase, alerts and days since the last contact.

    `whole_program=False`: open episodes whose specialist is `user` (with `phase="closed"`: clients
    whose last episode was theirs). `whole_program=True`: every client of the user's programs.
    `programs`: the user's programs (`programs_for(user, VIEW_CLIENTS)`) when the caller has them.
    Filters, counts and sorts run in SQL: one query for the counts, one for the rows (of `page`, of
    `page_size` or settings.CASELOAD_PAGE_SIZE rows, when given), one for the specialists' names.
    """
    today = _today(as_of)
    # The scope as a list of ids, not a subquery: PostgreSQL then applies it (cheap) before the rules
    # (costly) instead of evaluating the rules on every client of every program.
    if programs is None:
        programs = programs_for(user, Capability.VIEW_CLIENTS)
    clients = Client.objects.filter(program_id__in=[p.pk for p in programs])
    for word in q.split():
        clients = clients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(record_number__icontains=word)
        )
    rows_qs = with_status(clients, benchmarks, today)
    if phase == Phase.CLOSED:
        rows_qs = rows_qs.filter(episode_id__isnull=True, pk__in=Enrollment.objects.values("client"))
        if not whole_program:
            rows_qs = rows_qs.filter(last_specialist_id=user.pk)
    elif whole_program:
        rows_qs = rows_qs.filter(episode_id__isnull=False)
    else:
        rows_qs = rows_qs.filter(episode_specialist_id=user.pk)
    chosen = Q()
    if phase:
        chosen &= Q(phase=phase)
    if alert == "any":
        chosen &= Q(alert_count__gt=0)
    elif alert:
        chosen &= Q(**{rules.alert_field(alert): True})
    # Grouped by program and phase (each computed once per row) rather than aggregate(), which would
    # refer to the annotations by alias: annotate() inlines the rules. A few rows, summed here.
    groups = list(
        rows_qs.order_by()
        .values("program_id", "phase")
        .annotate(
            n=Count("pk"),
            matching=Count("pk", filter=chosen),
            **{f"alert_{code}": Count("pk", filter=Q(**{rules.alert_field(code): True})) for code in AlertCode.LABELS},
        )
    )
    result = Caseload(rows=[], total=sum(g["n"] for g in groups), matching=sum(g["matching"] for g in groups))
    result.phase_counts = {code: sum(g["n"] for g in groups if g["phase"] == code) for code in Phase.ORDER}
    result.alert_counts = {code: sum(g[f"alert_{code}"] for g in groups) for code in AlertCode.LABELS}
    result.multi_program = len({g["program_id"] for g in groups}) > 1
    ordered = rows_qs.filter(chosen).order_by(*_ordering(sort))
    if page is None:
        rows: list[StatusRow] = list(ordered)
    else:
        size = page_size or settings.CASELOAD_PAGE_SIZE
        result.page = _CountedPaginator(ordered, size, count=result.matching).get_page(page)
        rows = list(result.page.object_list)
    names = specialist_names(r.episode_specialist_id or r.last_specialist_id for r in rows)
    for row in rows:
        decide(row, today)
        row.specialist_name = names.get(row.episode_specialist_id or row.last_specialist_id, "")
    result.rows = rows
    return result


def client_status(
    client_qs: QuerySet[Client],
    *,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
    **lookup: Any,
) -> StatusRow:
    """One client (from an already scoped queryset) annotated and decided; raises DoesNotExist."""
    today = _today(as_of)
    client: StatusRow = with_status(client_qs, benchmarks, today).get(**lookup)
    decide(client, today)
    names = specialist_names([client.episode_specialist_id or client.last_specialist_id])
    client.specialist_name = names.get(client.episode_specialist_id or client.last_specialist_id, "")
    return client


# --- Timeline -------------------------------------------------------------------------------------

TIMELINE_PAGE = 15


@dataclass
class TimelineItem:
    date: datetime.date
    kind: str
    title: str
    detail: str = ""
    who: str = ""
    url: str = ""
    stamp: datetime.datetime | None = None

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.datetime]:
        return (self.date, self.stamp or datetime.datetime.min.replace(tzinfo=datetime.UTC))


def timeline(client: Client, *, page: int = 1, size: int = TIMELINE_PAGE) -> tuple[list[TimelineItem], bool]:
    """Everything that happened to `client`, newest first: (items of the page, has_more).

    Each source is one query limited to page*size rows, so a page costs the same fixed number of
    queries (nine) however long the history is.
    """
    limit = page * size
    items: list[TimelineItem] = []
    for c in Contact.objects.filter(client=client).select_related("staff")[:limit]:
        minutes = f" · {c.minutes} min" if c.minutes else ""
        items.append(
            TimelineItem(
                c.contact_date,
                "contact",
                f"Contact with {c.get_with_whom_display().lower()}",
                f"{c.get_mode_display() or 'Mode not recorded'} · {c.get_place_display().lower()}{minutes}"
                + (f" — {c.note}" if c.note else ""),
                str(c.staff or ""),
                url=reverse("clients:contact_edit", args=[client.pk, c.pk]),
                stamp=c.created_at,
            )
        )
    employer_contacts = (
        EmployerContact.objects.filter(clients=client)
        .select_related("employer", "specialist")
        .order_by("-contact_date", "-created_at")[:limit]
    )
    for e in employer_contacts:
        items.append(
            TimelineItem(
                e.contact_date,
                "employer_contact",
                f"Employer contact: {e.employer.name}",
                ("Face to face" if e.face_to_face else "Not face to face")
                + f" · {e.get_purpose_display().lower()}"
                + (f" — {e.outcome}" if e.outcome else ""),
                str(e.specialist or ""),
                url=reverse("jobs:employer_contact_edit", args=[e.pk]),
                stamp=e.created_at,
            )
        )
    jobs = JobStart.objects.filter(client=client).select_related("employer")
    for j in jobs.order_by("-start_date", "-pk")[:limit]:
        hours = f" · {j.hours_per_week:g} h/week" if j.hours_per_week else ""
        items.append(
            TimelineItem(
                j.start_date,
                "job_start",
                f"Started as {j.job_title} at {j.employer.name}",
                ("Competitive" if j.is_competitive else "Not competitive") + hours,
                url=reverse("jobs:job_edit", args=[j.pk]),
                stamp=j.created_at,
            )
        )
    for ended in jobs.filter(end_date__isnull=False).order_by("-end_date", "-pk")[:limit]:
        assert ended.end_date is not None  # filtered above
        items.append(
            TimelineItem(
                ended.end_date,
                "job_end",
                f"Job ended: {ended.job_title} at {ended.employer.name}",
                ended.get_end_type_display() + (f" — {ended.end_reason}" if ended.end_reason else ""),
                stamp=ended.updated_at,
            )
        )
    supports = FollowAlongSupport.objects.filter(job__client=client).select_related("job", "staff")
    for s in supports.order_by("-support_date", "-pk")[:limit]:
        items.append(
            TimelineItem(
                s.support_date,
                "support",
                f"Follow-along support ({s.get_provider_display()})",
                s.description,
                str(s.staff or ""),
                url=reverse("jobs:support_edit", args=[s.pk]),
                stamp=s.created_at,
            )
        )
    for b in BenefitsCounselingSession.objects.filter(client=client)[:limit]:
        items.append(
            TimelineItem(
                b.session_date,
                "benefits",
                "Benefits counseling session",
                ", ".join(b.get_work_incentives_discussed_display()) or b.counselor_name,
                b.counselor_name,
                url=reverse("clients:benefits_edit", args=[client.pk, b.pk]),
                stamp=b.created_at,
            )
        )
    for p in EmploymentPlan.objects.filter(client=client).order_by("-start_date", "-pk")[:limit]:
        items.append(TimelineItem(p.start_date, "plan", "Employment plan started", p.goal, stamp=p.created_at))
    steps = PlanStep.objects.filter(plan__client=client, completed_on__isnull=False).order_by("-completed_on", "-pk")
    for step in steps[:limit]:
        assert step.completed_on is not None  # filtered above
        step_url = reverse("clients:step_edit", args=[client.pk, step.pk])
        items.append(
            TimelineItem(
                step.completed_on, "step", "Plan step done", step.description, url=step_url, stamp=step.updated_at
            )
        )
    episodes = Enrollment.objects.filter(client=client).select_related("specialist").order_by("-referral_date")
    for ep in episodes[:limit]:
        items.append(TimelineItem(ep.referral_date, "enrollment", "Referred", stamp=ep.created_at))
        if ep.enrollment_date:
            items.append(
                TimelineItem(
                    ep.enrollment_date, "enrollment", "Enrolled", str(ep.specialist or ""), stamp=ep.created_at
                )
            )
        if ep.closure_date:
            items.append(
                TimelineItem(
                    ep.closure_date,
                    "closure",
                    "Enrollment closed",
                    ep.get_closure_reason_display() + (f" — {ep.closure_note}" if ep.closure_note else ""),
                    stamp=ep.updated_at,
                )
            )
    items.sort(key=lambda i: i.sort_key, reverse=True)
    start = (page - 1) * size
    return items[start:limit], len(items) > limit


# --- Client record sections -----------------------------------------------------------------------


def client_sections(client: Client) -> dict[str, Any]:
    """What the client record shows besides the timeline: the clients app's sections and the jobs,
    in a fixed number of queries."""
    jobs = JobStart.objects.filter(client=client).select_related("employer").order_by("-start_date", "-pk")
    supports = (
        FollowAlongSupport.objects.filter(job__client=client)
        .select_related("job", "staff")
        .order_by("-support_date", "-pk")[: client_selectors.RECENT_LIMIT]
    )
    return {**client_selectors.client_sections(client), "jobs": list(jobs), "supports": list(supports)}
