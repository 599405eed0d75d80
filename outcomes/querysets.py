"""The querysets behind every number (the drill-downs): clients, enrollment episodes, jobs and
employer contacts, each with the definition the figures count by (see `outcomes.metrics`).

Arguments: `programs` (already scoped to the user), `period`, and optional `specialists` whose
attributed clients are kept.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from clients.models import Client, EducationActivity, Enrollment
from jobs.models import EmployerContact, JobStart, JobStartQuerySet
from programs.selectors import specialist_membership_on, specialist_memberships_between

from .common import (
    ALL_ACTIVE,
    OUT_OF_WORK,
    Programs,
    Specialists,
    attributed_episodes,
    client_is_active,
    for_specialists,
    specialist_ids,
    today_or,
)
from .periods import Period


def _held_competitive(period: Period, client_ref: str) -> QuerySet[JobStart]:
    return JobStart.objects.competitive().held_between(period.start, period.end).filter(client=OuterRef(client_ref))


# ----------------------------------------------------------------------------------------------
# Clients and enrollment episodes
# ----------------------------------------------------------------------------------------------
def active_enrollments(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[Enrollment]:
    """Episodes active in the period: enrollment date on or before the period's last day and not
    closed before its first day; episodes without an enrollment date are excluded (see
    `data_quality`). With `specialists`: the active episodes of clients attributed to them."""
    qs = Enrollment.objects.filter(client__program__in=programs, enrollment_date__isnull=False).active_between(
        period.start, period.end
    )
    return for_specialists(qs, period, "client", specialists)


def active_clients(
    programs: Programs, period: Period, specialists: Specialists = None, denominator: str | None = None
) -> QuerySet[Client]:
    """The active caseload: clients with at least one episode active in the period, each once.

    `denominator="out_of_work"` keeps only clients whose episode active in the period (the
    latest, if several) has employed_at_enrollment=False. `None` means all active clients
    (this drill-down does not read the BenchmarkSettings default; `outcomes` does)."""
    qs = Client.objects.filter(program__in=programs).filter(client_is_active(period, "pk"))
    if denominator == OUT_OF_WORK:
        qs = qs.filter(pk__in=attributed_episodes(period).filter(employed_at_enrollment=False).values("client"))
    elif denominator not in (None, ALL_ACTIVE):
        raise ValueError(f"Unknown denominator {denominator!r}.")
    return for_specialists(qs, period, "pk", specialists)


def working_clients(
    programs: Programs, period: Period, specialists: Specialists = None, denominator: str | None = None
) -> QuerySet[Client]:
    """Active clients (restricted like `active_clients` for the denominator) who held a
    competitive job on at least one day of the period."""
    return active_clients(programs, period, specialists, denominator).filter(Exists(_held_competitive(period, "pk")))


def new_enrollments(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[Enrollment]:
    """Episodes whose enrollment date is in the period."""
    qs = Enrollment.objects.filter(
        client__program__in=programs, enrollment_date__gte=period.start, enrollment_date__lte=period.end
    )
    return for_specialists(qs, period, "client", specialists)


def closures(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[Enrollment]:
    """Episodes (with an enrollment date) closed in the period."""
    qs = Enrollment.objects.filter(
        client__program__in=programs,
        enrollment_date__isnull=False,
        closure_date__gte=period.start,
        closure_date__lte=period.end,
    )
    return for_specialists(qs, period, "client", specialists)


def education_between(period: Period) -> QuerySet[EducationActivity]:
    """Education activities on at least one day of the period."""
    return EducationActivity.objects.filter(start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def _in_education(period: Period, client_ref: str) -> Exists:
    return Exists(education_between(period).filter(client=OuterRef(client_ref)))


def clients_in_education(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[Client]:
    """Active clients with an education activity on at least one day of the period."""
    return active_clients(programs, period, specialists).filter(_in_education(period, "pk"))


# ----------------------------------------------------------------------------------------------
# Jobs
# ----------------------------------------------------------------------------------------------
def jobs_of_active_clients(programs: Programs, period: Period, specialists: Specialists) -> JobStartQuerySet:
    qs = JobStart.objects.filter(client__program__in=programs).filter(client_is_active(period, "client"))
    return for_specialists(qs, period, "client", specialists)


def job_starts(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[JobStart]:
    """Competitive jobs with a start date in the period, of clients in the active caseload."""
    return (
        jobs_of_active_clients(programs, period, specialists)
        .competitive()
        .filter(start_date__gte=period.start, start_date__lte=period.end)
    )


def _episode_start_of_job() -> Subquery:
    """Enrollment date of the episode containing the job's start date (the latest if several)."""
    return Subquery(
        Enrollment.objects.filter(
            client=OuterRef("client"), enrollment_date__isnull=False, enrollment_date__lte=OuterRef("start_date")
        )
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=OuterRef("start_date")))
        .order_by("-enrollment_date", "-pk")
        .values("enrollment_date")[:1]
    )


def with_first_in_episode(qs: QuerySet[JobStart]) -> QuerySet[JobStart]:
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


def first_job_starts(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[JobStart]:
    """Job starts (see `job_starts`) that are the client's first competitive job in the enrollment
    episode containing the job's start date. A job held from before enrollment does not count
    as a start in the episode; a re-enrolled client can have a first job start in each episode."""
    return with_first_in_episode(job_starts(programs, period, specialists)).filter(FIRST_IN_EPISODE)


def jobs_held(programs: Programs, period: Period, specialists: Specialists = None) -> QuerySet[JobStart]:
    """Competitive jobs of active clients held on at least one day of the period (started on or
    before its last day and not ended before its first; no end date = still held)."""
    return jobs_of_active_clients(programs, period, specialists).competitive().held_between(period.start, period.end)


# ----------------------------------------------------------------------------------------------
# Employer contacts
# ----------------------------------------------------------------------------------------------
def _by_member_of_employer_program() -> Exists:
    """The contact's specialist held a specialist membership of the employer's program in force on the
    contact's date (a contact made before joining or after leaving is not the program's)."""
    return Exists(
        specialist_membership_on(OuterRef("specialist"), OuterRef("employer__program"), OuterRef("contact_date"))
    )


def contacts_with_employers(programs: Programs, period: Period, face_to_face: bool | None) -> QuerySet[EmployerContact]:
    qs = EmployerContact.objects.filter(
        employer__program__in=programs, contact_date__gte=period.start, contact_date__lte=period.end
    )
    return qs if face_to_face is None else qs.filter(face_to_face=face_to_face)


def employer_contacts(
    programs: Programs, period: Period, specialists: Specialists = None, face_to_face: bool | None = True
) -> QuerySet[EmployerContact]:
    """Employer contacts with the programs' employers dated in the period. By default only
    face-to-face ones (`face_to_face=None`: all). Made by a specialist (one of `specialists` when
    given) whose membership of the employer's program was in force on the contact's date
    (contacts by supervisors, or made before joining or after leaving, are not counted)."""
    qs = contacts_with_employers(programs, period, face_to_face)
    ids = specialist_ids(specialists)
    if ids is None:
        # The IN lets the (specialist, contact_date) index serve; the Exists checks the program.
        members = specialist_memberships_between(programs, period.start, period.end).values("user")
        return qs.filter(specialist__in=members).filter(_by_member_of_employer_program())
    # Given specialists too: only while their membership of the employer's program was in force.
    return qs.filter(specialist__in=ids).filter(_by_member_of_employer_program())


def first_contact_enrollments(
    programs: Programs, period: Period, specialists: Specialists = None, as_of: datetime.date | None = None
) -> QuerySet[Enrollment]:
    """`new_enrollments` annotated with `first_contact_date`: the first face-to-face
    EmployerContact linked to the client (EmployerContact.clients) dated on or after the
    enrollment date and on or before `as_of` (default today); None when there is none yet.
    The drill-down behind first_contact_days_median / first_contact_within_target."""
    first_contact = Subquery(
        EmployerContact.objects.filter(
            clients=OuterRef("client"),
            face_to_face=True,
            contact_date__gte=OuterRef("enrollment_date"),
            contact_date__lte=today_or(as_of),
        )
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
    return new_enrollments(programs, period, specialists).annotate(first_contact_date=first_contact)
