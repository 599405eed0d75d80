"""Read models that combine clients and jobs: phases, alerts, the caseload and the client timeline.

This module is the ONE place where a client's phase and alerts are decided. Pages (and later the
API) call `caseload()` / `client_status()` / `timeline()`; nothing else re-derives them.

Every figure is read with a fixed number of queries: the caseload is one annotated query (plus the
benchmark settings and the specialists' names) whatever the number of clients or the length of
their histories, and the timeline merges a fixed number of limited querysets in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from clients import selectors as client_selectors
from clients.models import (
    BenefitsCounselingSession,
    Client,
    Contact,
    ContactWith,
    EmploymentPlan,
    Enrollment,
    PlanStep,
)
from jobs.models import EmployerContact, FollowAlongSupport, JobStart
from programs.access import Capability, scope
from programs.models import Role, User

# A Client from `with_status()`, then `decide()`: its annotations and decisions are attributes set at
# run time (has_open_episode, job_start, phase, alerts...), which the type checker cannot see.
StatusRow = Any


class Phase:
    ENGAGING = "engaging"
    JOB_SEEKING = "job_seeking"
    WORKING = "working"
    FOLLOW_ALONG = "follow_along"
    CLOSED = "closed"

    LABELS = {
        ENGAGING: "Engaging",
        JOB_SEEKING: "Job seeking",
        WORKING: "Working",
        FOLLOW_ALONG: "Follow-along",
        CLOSED: "Closed",
    }
    ORDER = [ENGAGING, JOB_SEEKING, WORKING, FOLLOW_ALONG, CLOSED]
    CHOICES = list(LABELS.items())


class AlertCode:
    NO_CONTACT = "no_contact"
    NO_EMPLOYER_CONTACT = "no_employer_contact"
    JOB_START_FOLLOWUP = "job_start_followup"
    JOB_END_CONTACT = "job_end_contact"
    NO_BENEFITS = "no_benefits"
    PROFILE_STALE = "profile_stale"

    LABELS = {
        NO_CONTACT: "No recent contact",
        NO_EMPLOYER_CONTACT: "No employer contact yet",
        JOB_START_FOLLOWUP: "New job: follow-along due",
        JOB_END_CONTACT: "Job ended: contact due",
        NO_BENEFITS: "No benefits counseling before the job",
        PROFILE_STALE: "Career profile out of date",
    }
    CHOICES = list(LABELS.items())


@dataclass(frozen=True)
class Alert:
    code: str
    detail: str

    @property
    def label(self) -> str:
        return AlertCode.LABELS[self.code]


SORTS = {
    "name": "Name",
    "alerts": "Most alerts first",
    "last_contact": "Longest without contact",
    "phase": "Phase",
}


def _today(as_of: datetime.date | None = None) -> datetime.date:
    return as_of or timezone.localdate()


def _local_date(stamp: datetime.datetime | None) -> datetime.date | None:
    if stamp is None:
        return None
    return timezone.localtime(stamp).date() if timezone.is_aware(stamp) else stamp.date()


def with_status(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate a Client queryset with everything phases and alerts are decided from.

    One SQL query: each figure is a correlated subquery (or EXISTS) on indexed columns.
    """
    outer = OuterRef("pk")
    open_episode = Enrollment.objects.filter(client=outer, closure_date__isnull=True)
    last_episode = Enrollment.objects.filter(client=outer).order_by("-referral_date", "-pk")
    current_job = JobStart.objects.filter(client=outer, end_date__isnull=True).order_by("-start_date", "-pk")
    last_job = JobStart.objects.filter(client=outer).order_by("-start_date", "-pk")
    client_contacts = Contact.objects.filter(client=outer, with_whom=ContactWith.CLIENT)
    open_steps = PlanStep.objects.filter(plan__client=outer, plan__is_current=True, completed_on__isnull=True).order_by(
        "position", "target_date", "pk"
    )
    return clients.select_related("program", "treatment_team").annotate(
        has_open_episode=Exists(open_episode),
        episode_id=Subquery(open_episode.values("pk")[:1]),
        episode_referral=Subquery(open_episode.values("referral_date")[:1]),
        episode_enrolled=Subquery(open_episode.values("enrollment_date")[:1]),
        episode_specialist_id=Subquery(open_episode.values("specialist_id")[:1]),
        last_specialist_id=Subquery(last_episode.values("specialist_id")[:1]),
        last_closure=Subquery(last_episode.values("closure_date")[:1]),
        last_closure_reason=Subquery(last_episode.values("closure_reason")[:1]),
        last_contact=Subquery(client_contacts.order_by("-contact_date").values("contact_date")[:1]),
        job_id=Subquery(current_job.values("pk")[:1]),
        job_title=Subquery(current_job.values("job_title")[:1]),
        job_employer=Subquery(current_job.values("employer__name")[:1]),
        job_start=Subquery(current_job.values("start_date")[:1]),
        last_start=Subquery(last_job.values("start_date")[:1]),
        last_start_benefits_discussed=Subquery(last_job.values("benefits_discussed")[:1]),
        last_end=Subquery(
            JobStart.objects.filter(client=outer, end_date__isnull=False).order_by("-end_date").values("end_date")[:1]
        ),
        last_support=Subquery(
            FollowAlongSupport.objects.filter(job__client=outer).order_by("-support_date").values("support_date")[:1]
        ),
        employer_contact_in_episode=Exists(
            EmployerContact.objects.filter(
                clients=outer, face_to_face=True, contact_date__gte=OuterRef("episode_enrolled")
            )
        ),
        # Any session clears the benefits alert: one before the start is the advice, one after it is
        # what the alert asks for (requiring "before" only invited backdating).
        has_benefits_session=Exists(BenefitsCounselingSession.objects.filter(client=outer)),
        has_plan_steps=Exists(PlanStep.objects.filter(plan__client=outer, plan__is_current=True)),
        next_step=Subquery(open_steps.values("description")[:1]),
        next_step_target=Subquery(open_steps.values("target_date")[:1]),
        profile_updated_at=F("career_profile__updated_at"),
        profile_reviewed=F("career_profile__last_reviewed"),
    )


def decide(client: StatusRow, benchmarks: BenchmarkSettings, today: datetime.date) -> StatusRow:
    """Set `phase`, `alerts`, `days_since_contact` on one annotated client (no queries)."""
    weekly_days = benchmarks.follow_along_weekly_weeks * 7
    enrolled = client.episode_enrolled
    if not client.has_open_episode:
        client.phase = Phase.CLOSED
    elif client.job_id is not None:
        client.phase = Phase.WORKING if (today - client.job_start).days <= weekly_days else Phase.FOLLOW_ALONG
    elif client.employer_contact_in_episode or client.has_plan_steps:
        client.phase = Phase.JOB_SEEKING
    else:
        client.phase = Phase.ENGAGING
    client.phase_label = Phase.LABELS[client.phase]
    client.days_since_contact = (today - client.last_contact).days if client.last_contact else None
    client.is_pending_referral = client.has_open_episode and enrolled is None
    client.alerts = _alerts(client, benchmarks, today) if client.has_open_episode else []
    client.alert_codes = {a.code for a in client.alerts}
    return client


NO_BENEFITS_DETAIL = (
    "Job started {start:%b %-d} with no benefits counseling recorded. Clears when a benefits counseling session is"
    " recorded (any date, after the start too) or the job's “Benefits discussed before the start” box is ticked."
)


def benefits_counseled(c: StatusRow) -> bool:
    """The rule that clears the "no benefits counseling" alert (its text: NO_BENEFITS_DETAIL): a session
    on any date, or the latest job start's "Benefits discussed before the start" box."""
    return bool(c.has_benefits_session or c.last_start_benefits_discussed)


def _alerts(c: StatusRow, b: BenchmarkSettings, today: datetime.date) -> list[Alert]:
    alerts: list[Alert] = []
    enrolled = c.episode_enrolled
    since = c.last_contact or enrolled or c.episode_referral
    if since is not None and (today - since).days >= b.no_contact_alert_days:
        detail = f"Last contact {c.last_contact:%b %-d}" if c.last_contact else "No contact logged yet"
        alerts.append(Alert(AlertCode.NO_CONTACT, f"{detail} ({(today - since).days} days)."))
    started_in_episode = enrolled is not None and c.last_start is not None and c.last_start >= enrolled
    if (
        enrolled is not None
        and (today - enrolled).days > b.first_employer_contact_days
        and not c.employer_contact_in_episode
        and not started_in_episode
    ):
        alerts.append(
            Alert(AlertCode.NO_EMPLOYER_CONTACT, f"Enrolled {(today - enrolled).days} days, no face-to-face contact.")
        )
    if c.last_start is not None and 0 <= (today - c.last_start).days <= b.job_start_followup_days:
        supported = c.last_support is not None and c.last_support >= c.last_start
        contacted = c.last_contact is not None and c.last_contact >= c.last_start
        if not (supported or contacted):
            alerts.append(Alert(AlertCode.JOB_START_FOLLOWUP, f"Started {c.last_start:%b %-d}: no support yet."))
    ended_latest = c.last_end is not None and (c.last_start is None or c.last_end >= c.last_start)
    if (
        ended_latest
        and (enrolled is None or c.last_end >= enrolled)
        and (today - c.last_end).days > b.job_end_contact_days
        and not (c.last_contact is not None and c.last_contact >= c.last_end)
    ):
        alerts.append(Alert(AlertCode.JOB_END_CONTACT, f"Job ended {c.last_end:%b %-d}: no contact since."))
    if started_in_episode and not benefits_counseled(c):
        alerts.append(Alert(AlertCode.NO_BENEFITS, NO_BENEFITS_DETAIL.format(start=c.last_start)))
    last_job_event = max(d for d in (c.last_start, c.last_end, datetime.date.min) if d is not None)
    if c.last_start is not None:
        reviewed = max(
            d for d in (_local_date(c.profile_updated_at), c.profile_reviewed, datetime.date.min) if d is not None
        )
        if reviewed < last_job_event:
            alerts.append(Alert(AlertCode.PROFILE_STALE, f"Not updated since {last_job_event:%b %-d}."))
    return alerts


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
    rows: list[StatusRow]
    total: int
    phase_counts: dict[str, int] = field(default_factory=dict)
    alert_counts: dict[str, int] = field(default_factory=dict)
    multi_program: bool = False


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
) -> Caseload:
    """The clients a user works with, each with phase, alerts and days since the last contact.

    `whole_program=False`: open episodes whose specialist is `user` (with `phase="closed"`: clients
    whose last episode was theirs). `whole_program=True`: every client of the user's programs.
    Filters and sorts run in Python over the annotated rows (a caseload is tens of clients).
    """
    today = _today(as_of)
    benchmarks = benchmarks or BenchmarkSettings.current()
    clients = scope(Client.objects.all(), user, Capability.VIEW_CLIENTS)
    closed = phase == Phase.CLOSED
    if closed:
        clients = clients.exclude(enrollments__closure_date__isnull=True).filter(enrollments__isnull=False)
    else:
        clients = clients.filter(enrollments__closure_date__isnull=True)
    if not whole_program and not closed:
        clients = clients.filter(enrollments__specialist=user, enrollments__closure_date__isnull=True)
    if q:
        words = q.split()
        for word in words:
            clients = clients.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(record_number__icontains=word)
            )
    rows: list[StatusRow] = list(with_status(clients.distinct()))
    if closed and not whole_program:
        rows = [r for r in rows if r.last_specialist_id == user.pk]
    for row in rows:
        decide(row, benchmarks, today)
    names = specialist_names(r.episode_specialist_id or r.last_specialist_id for r in rows)
    for row in rows:
        row.specialist_name = names.get(row.episode_specialist_id or row.last_specialist_id, "")
    result = Caseload(rows=[], total=len(rows))
    result.phase_counts = {code: sum(r.phase == code for r in rows) for code in Phase.ORDER}
    result.alert_counts = {code: sum(code in r.alert_codes for r in rows) for code in AlertCode.LABELS}
    result.multi_program = len({r.program_id for r in rows}) > 1
    if phase:
        rows = [r for r in rows if r.phase == phase]
    if alert == "any":
        rows = [r for r in rows if r.alerts]
    elif alert:
        rows = [r for r in rows if alert in r.alert_codes]
    result.rows = sort_rows(rows, sort)
    return result


def sort_rows(rows: list[StatusRow], sort: str) -> list[StatusRow]:
    by_name = sorted(rows, key=lambda r: (r.last_name.casefold(), r.first_name.casefold(), r.pk))
    if sort == "alerts":
        return sorted(by_name, key=lambda r: -len(r.alerts))
    if sort == "last_contact":
        # Never contacted first, then the longest ago.
        return sorted(by_name, key=lambda r: (r.last_contact is not None, r.last_contact or datetime.date.min))
    if sort == "phase":
        return sorted(by_name, key=lambda r: Phase.ORDER.index(r.phase))
    return by_name


def client_status(
    client_qs: QuerySet[Client],
    *,
    as_of: datetime.date | None = None,
    benchmarks: BenchmarkSettings | None = None,
    **lookup: Any,
) -> StatusRow:
    """One client (from an already scoped queryset) annotated and decided; raises DoesNotExist."""
    client: StatusRow = with_status(client_qs).get(**lookup)
    decide(client, benchmarks or BenchmarkSettings.current(), _today(as_of))
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
