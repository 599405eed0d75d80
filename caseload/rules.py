"""A client's phase and the six caseload alerts, each rule written ONCE as SQL.

`facts()` annotates a Client queryset with what the rules read (correlated subqueries and EXISTS on
indexed columns); `decisions()` adds, for a given "today" and `BenchmarkSettings`, the phase and one
boolean per alert. Every reader takes them from these annotations: the caseload rows and the client
record (`selectors.decide` only formats their text), the caseload's filters, counts and sorts, and
the supervisor dashboard's count of clients with alerts per specialist (one grouped query).

Day arithmetic is done in Python on "today" (a cutoff date per threshold), so the SQL compares dates
only and reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from benchmarks.models import BenchmarkSettings
from clients.models import BenefitsCounselingSession, Client, Contact, ContactWith, Enrollment, PlanStep
from jobs.models import EmployerContact, FollowAlongSupport, JobStart


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


def alert_field(code: str) -> str:
    """The boolean annotation that carries one alert."""
    return f"alert_{code}"


NO_BENEFITS_DETAIL = (
    "Job started {start:%b %-d} with no benefits counseling recorded. Clears when a benefits counseling session is"
    " recorded (any date, after the start too) or the job's “Benefits discussed before the start” box is ticked."
)
_NEVER = Value(datetime.date.min, output_field=DateField())


def facts(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate a Client queryset with everything phases and alerts are decided from (no decision)."""
    outer = OuterRef("pk")
    last_episode = Enrollment.objects.filter(client=outer).order_by("-referral_date", "-pk")
    current_job = JobStart.objects.filter(client=outer, end_date__isnull=True).order_by("-start_date", "-pk")
    last_job = JobStart.objects.filter(client=outer).order_by("-start_date", "-pk")
    client_contacts = Contact.objects.filter(client=outer, with_whom=ContactWith.CLIENT)
    open_steps = PlanStep.objects.filter(plan__client=outer, plan__is_current=True, completed_on__isnull=True).order_by(
        "position", "target_date", "pk"
    )
    # The open episode is a join, not subqueries: a client has at most one (a unique index), and the
    # rules read its dates many times, which as subqueries PostgreSQL would run once per mention.
    return clients.annotate(
        open_episode=FilteredRelation("enrollments", condition=Q(enrollments__closure_date__isnull=True))
    ).annotate(
        episode_id=F("open_episode__pk"),
        has_open_episode=_flag(Q(open_episode__pk__isnull=False)),
        episode_referral=F("open_episode__referral_date"),
        episode_enrolled=F("open_episode__enrollment_date"),
        episode_specialist_id=F("open_episode__specialist_id"),
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


def _flag(condition: Q) -> Case:
    """A boolean that is never NULL: a rule's negated parts below test these, not nullable comparisons."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _derived(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Intermediate facts the rules share (dates and yes/no questions that do not depend on "today")."""
    # alias(), not annotate(): the rules read them, the rows do not need them selected.
    return clients.annotate(
        # The no-contact clock starts at the last contact, else the enrollment, else the referral.
        contact_since=Coalesce("last_contact", "episode_enrolled", "episode_referral"),
        last_job_event=Greatest("last_start", Coalesce("last_end", "last_start"), output_field=DateField()),
    ).alias(
        started_in_episode=_flag(Q(episode_enrolled__isnull=False, last_start__gte=F("episode_enrolled"))),
        supported_since_start=_flag(Q(last_support__gte=F("last_start"))),
        contacted_since_start=_flag(Q(last_contact__gte=F("last_start"))),
        contacted_since_end=_flag(Q(last_contact__gte=F("last_end"))),
        # Any session, or the latest job's "benefits discussed before the start" box (NO_BENEFITS_DETAIL).
        benefits_counseled=_flag(Q(has_benefits_session=True) | Q(last_start_benefits_discussed=True)),
        profile_date=Greatest(
            Coalesce(TruncDate("profile_updated_at"), _NEVER),
            Coalesce("profile_reviewed", _NEVER),
            output_field=DateField(),
        ),
    )


def alert_rules(b: BenchmarkSettings, today: datetime.date) -> dict[str, Q]:
    """{alert code: the condition, over `facts()` and `_derived()`}, for open episodes only."""

    def days_ago(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    is_open = Q(has_open_episode=True)
    return {
        # At least `no_contact_alert_days` days since the clock started.
        AlertCode.NO_CONTACT: is_open & Q(contact_since__lte=days_ago(b.no_contact_alert_days)),
        # Enrolled more than `first_employer_contact_days` days, no face-to-face employer contact in the
        # episode and no job started in it.
        AlertCode.NO_EMPLOYER_CONTACT: is_open
        & Q(
            episode_enrolled__lt=days_ago(b.first_employer_contact_days),
            employer_contact_in_episode=False,
            started_in_episode=False,
        ),
        # A start within the last `job_start_followup_days` days with no support or contact since it.
        AlertCode.JOB_START_FOLLOWUP: is_open
        & Q(
            last_start__gte=days_ago(b.job_start_followup_days),
            last_start__lte=today,
            supported_since_start=False,
            contacted_since_start=False,
        ),
        # The latest job event is an end (in this episode) more than `job_end_contact_days` days ago,
        # with no contact since.
        AlertCode.JOB_END_CONTACT: is_open
        & Q(last_end__isnull=False)
        & (Q(last_start__isnull=True) | Q(last_end__gte=F("last_start")))
        & (Q(episode_enrolled__isnull=True) | Q(last_end__gte=F("episode_enrolled")))
        & Q(last_end__lt=days_ago(b.job_end_contact_days), contacted_since_end=False),
        AlertCode.NO_BENEFITS: is_open & Q(started_in_episode=True, benefits_counseled=False),
        # The career profile was neither updated nor reviewed since the latest job start or end.
        AlertCode.PROFILE_STALE: is_open & Q(last_start__isnull=False, profile_date__lt=F("last_job_event")),
    }


def any_alert(b: BenchmarkSettings, today: datetime.date) -> Q:
    """At least one alert (a filter: PostgreSQL stops at the first rule that holds)."""
    return reduce(or_, alert_rules(b, today).values())


# A Client queryset with the annotations above: typed Any-model so the type checker's plugin does not
# reject filters on them (it only knows the model's fields).
Decided = QuerySet[Any]


def decisions(clients: QuerySet[Client], b: BenchmarkSettings, today: datetime.date) -> Decided:
    """`facts()` plus the phase, its sort rank, one boolean per alert and `alert_count`."""
    working_since = today - datetime.timedelta(weeks=b.follow_along_weekly_weeks)
    annotated = _derived(facts(clients))
    flags = {alert_field(code): _flag(rule) for code, rule in alert_rules(b, today).items()}
    count: Any = Value(0)
    for name in flags:
        count = count + Case(When(**{name: True}, then=Value(1)), default=Value(0))
    return annotated.annotate(
        phase=Case(
            When(has_open_episode=False, then=Value(Phase.CLOSED)),
            When(job_id__isnull=False, job_start__gte=working_since, then=Value(Phase.WORKING)),
            When(job_id__isnull=False, then=Value(Phase.FOLLOW_ALONG)),
            When(Q(employer_contact_in_episode=True) | Q(has_plan_steps=True), then=Value(Phase.JOB_SEEKING)),
            default=Value(Phase.ENGAGING),
            output_field=CharField(),
        ),
        **flags,
    ).alias(  # sort and filter keys only
        phase_rank=Case(
            *(When(phase=code, then=Value(rank)) for rank, code in enumerate(Phase.ORDER)),
            output_field=IntegerField(),
        ),
        alert_count=Case(When(has_open_episode=True, then=count), default=Value(0), output_field=IntegerField()),
    )


def alerts_of(c: Any, today: datetime.date) -> list[Alert]:
    """The alerts of one row from `decisions()`, with their text (the rules were applied in SQL)."""
    alerts: list[Alert] = []
    if c.alert_no_contact:
        since = (today - c.contact_since).days
        detail = f"Last contact {c.last_contact:%b %-d}" if c.last_contact else "No contact logged yet"
        alerts.append(Alert(AlertCode.NO_CONTACT, f"{detail} ({since} days)."))
    if c.alert_no_employer_contact:
        enrolled = (today - c.episode_enrolled).days
        alerts.append(Alert(AlertCode.NO_EMPLOYER_CONTACT, f"Enrolled {enrolled} days, no face-to-face contact."))
    if c.alert_job_start_followup:
        alerts.append(Alert(AlertCode.JOB_START_FOLLOWUP, f"Started {c.last_start:%b %-d}: no support yet."))
    if c.alert_job_end_contact:
        alerts.append(Alert(AlertCode.JOB_END_CONTACT, f"Job ended {c.last_end:%b %-d}: no contact since."))
    if c.alert_no_benefits:
        alerts.append(Alert(AlertCode.NO_BENEFITS, NO_BENEFITS_DETAIL.format(start=c.last_start)))
    if c.alert_profile_stale:
        alerts.append(Alert(AlertCode.PROFILE_STALE, f"Not updated since {c.last_job_event:%b %-d}."))
    return alerts
