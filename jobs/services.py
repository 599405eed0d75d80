"""Business rules for jobs and job development (writes).

Views and the later REST API call these functions; each one validates what the database cannot
(dates against today and the enrollment, the program of every related record) and writes inside one
transaction together with its audit event, so nothing is ever half-saved or unaudited. The writing
functions take the acting user as the keyword-only `user` and refuse records outside what that user
may edit (programs.access.require: a 404). A refused rule raises core.errors.RuleViolation keyed by
field; an edit that started from an older version raises core.locking.EditConflict.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from audit.models import Action
from audit.services import column_values, field_changes, record
from benchmarks.models import BenchmarkSettings
from clients.corrections import delete_with_reason, values_of
from clients.models import Client, Enrollment
from core.dates import check_not_in_future
from core.errors import RuleViolation, raise_if_any
from core.locking import lock
from programs.access import Capability, require
from programs.models import Program, User
from programs.selectors import staff_of

from .models import (
    Employer,
    EmployerContact,
    FollowAlongSupport,
    JobStart,
    normalize_employer_name,
    wage_error,
    wage_is_unusual,
)

EDIT = Capability.EDIT_CLIENTS

JOB_FIELDS = (
    "job_title",
    "occupation_group",
    "start_date",
    "hours_per_week",
    "hourly_wage",
    "is_competitive",
    "job_type",
    "disclosure",
    "benefits_discussed",
)
END_FIELDS = ("end_date", "end_type", "end_reason", "lessons_learned", "next_step")
CONTACT_FIELDS = ("face_to_face", "purpose", "contact_person", "made_by", "outcome", "next_step")
SUPPORT_FIELDS = ("support_date", "description", "provider", "staff", "minutes")

Errors = dict[str, Any]


class DuplicateEmployer(RuleViolation):
    """An employer with the same normalised name already exists in the program (`existing`)."""

    def __init__(self, existing: Employer):
        self.existing = existing
        super().__init__({"name": f"“{existing.name}” already exists in this program."}, code="duplicate")


# Employers -------------------------------------------------------------------------------------


def find_employer(program: Program, name: str, *, exclude_pk: int | None = None) -> Employer | None:
    """The program's employer whose normalised name equals that of `name`, or None."""
    normalized = normalize_employer_name(name or "")
    if not normalized:
        return None
    qs = Employer.objects.filter(program=program, normalized_name=normalized)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def save_employer(employer: Employer, *, user: User, version: str | None = None) -> Employer:
    """Save a new or edited employer (an edit under the optimistic lock from `version`); a duplicate
    name (also one saved by a concurrent request) raises DuplicateEmployer."""
    require(user, EDIT, employer.program)
    if employer.pk:
        require(user, EDIT, employer)
    existing = find_employer(employer.program, employer.name, exclude_pk=employer.pk)
    if existing is not None:
        raise DuplicateEmployer(existing)
    action = Action.UPDATE if employer.pk else Action.CREATE
    try:
        with transaction.atomic():
            changes = None
            if employer.pk:
                lock(employer, version)
                changes = field_changes(employer)  # before the save: against the saved row
            employer.save()
            record(None, action, employer, user=user, changes=changes)
    except IntegrityError:
        existing = find_employer(employer.program, employer.name, exclude_pk=employer.pk)
        if existing is None:
            raise
        raise DuplicateEmployer(existing) from None
    return employer


def find_or_create_employer(program: Program, name: str, *, user: User, **fields: Any) -> tuple[Employer, bool]:
    """The program's employer called `name` (after normalising), created if missing.

    Returns (employer, created). Safe under concurrency: a simultaneous create of the same
    name ends with both callers holding the one row.
    """
    name = (name or "").strip()
    if not normalize_employer_name(name):
        raise RuleViolation({"employer_name": "Enter the employer's name."})
    existing = find_employer(program, name)
    if existing is not None:
        return existing, False
    try:
        return save_employer(Employer(program=program, name=name, **fields), user=user), True
    except DuplicateEmployer as duplicate:
        return duplicate.existing, False


# Rules shared with the forms -------------------------------------------------------------------


def open_enrollment(client: Client) -> Enrollment | None:
    return Enrollment.objects.filter(client=client, closure_date__isnull=True).first()


def _day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _not_in_future(errors: Errors, field: str, day: datetime.date | None, what: str) -> None:
    """Collect the one date rule's refusal (core.dates) with the other errors of the same check."""
    try:
        check_not_in_future(day, field=field, label=f"The {what}")
    except RuleViolation as exc:
        errors.update(exc.message_dict)


def validate_job_start(
    client: Client, start_date: datetime.date | None, *, enrollment: Enrollment | None = None
) -> Enrollment:
    """A job start needs an open enrollment; its date is not in the future nor before the referral."""
    errors: Errors = {}
    enrollment = enrollment or open_enrollment(client)
    if enrollment is None:
        raise RuleViolation("This client has no open enrollment: enroll the client before recording a job.")
    _not_in_future(errors, "start_date", start_date, "start date")
    if start_date and start_date < enrollment.referral_date:
        errors["start_date"] = (
            f"The start date is before the referral ({_day(enrollment.referral_date)}). "
            "Earlier jobs belong in the work history of the career profile."
        )
    raise_if_any(errors)
    return enrollment


def validate_job(job: JobStart) -> None:
    """Checks shared by job start and job edit (the program of the employer, the dates)."""
    errors: Errors = {}
    if job.employer_id and job.employer.program_id != job.client.program_id:
        errors["employer"] = "Choose an employer of the client's program."
    _not_in_future(errors, "start_date", job.start_date, "start date")
    if job.end_date and job.start_date and job.end_date < job.start_date:
        errors["start_date"] = "The start date cannot be after the job's end date."
    raise_if_any(errors)


def validate_job_end(job: JobStart, end_date: datetime.date | None) -> None:
    errors: Errors = {}
    _not_in_future(errors, "end_date", end_date, "end date")
    if end_date and end_date < job.start_date:
        errors["end_date"] = f"The job cannot end before it started ({_day(job.start_date)})."
    raise_if_any(errors)


def validate_support(job: JobStart, support_date: datetime.date | None, staff: User | None = None) -> None:
    errors: Errors = {}
    _not_in_future(errors, "support_date", support_date, "support date")
    if support_date and support_date < job.start_date:
        errors["support_date"] = f"Follow-along support starts with the job ({_day(job.start_date)})."
    if staff is not None and not staff_of(job.client.program_id).filter(pk=staff.pk).exists():
        errors["staff"] = "Choose a staff member of the client's program."
    raise_if_any(errors)


def validate_employer_contact(
    employer: Employer,
    contact_date: datetime.date | None,
    clients: Iterable[Client] = (),
    client_specific: bool = False,
) -> None:
    errors: Errors = {}
    clients = list(clients)
    _not_in_future(errors, "contact_date", contact_date, "contact date")
    if any(c.program_id != employer.program_id for c in clients):
        errors["clients"] = "Choose clients of the employer's program only."
    elif client_specific and not clients:
        errors["clients"] = "Choose the client(s) discussed, or untick “client-specific”."
    raise_if_any(errors)


WAGE_CONFIRM_LABEL = "Yes, this hourly wage is right"


class UnusualWage(RuleViolation):
    """A wage inside the hard bounds but outside the usual band, not confirmed: ask, then save."""


def validate_wage(wage: Any, *, confirmed: bool = False) -> None:
    """The configured bounds (benchmarks.BenchmarkSettings): outside the hard bounds refused; outside
    the usual band refused until the user confirms the figure (`confirmed`)."""
    bounds = BenchmarkSettings.current()
    message = wage_error(wage, bounds)
    if message:
        raise RuleViolation({"hourly_wage": message})
    if wage_is_unusual(wage, bounds) and not confirmed:
        usual = f"${bounds.wage_unusual_low}–${bounds.wage_unusual_high}"
        message = f"${wage} an hour is unusual (usual: {usual}). If it is right, tick “{WAGE_CONFIRM_LABEL}”."
        raise UnusualWage({"hourly_wage": message})


def model_checks(obj: models.Model) -> None:
    """The model's own validation (plausible dates and wage, note length, constraints) as a RuleViolation:
    the same rule the admin applies."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RuleViolation(exc.message_dict) from exc


def benefits_session_before(client: Client, day: datetime.date) -> bool:
    """Was there a benefits-counseling session on or before `day`?"""
    return client.benefits_sessions.filter(session_date__lte=day).exists()


def _only(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


# Jobs ------------------------------------------------------------------------------------------


def record_job_start(
    client: Client,
    *,
    user: User,
    employer: Employer | None = None,
    employer_name: str = "",
    wage_confirmed: bool = False,
    **fields: Any,
) -> tuple[JobStart, bool]:
    """Record a job for a client with an open enrollment.

    `employer` is one of the client's program's employers, or `employer_name` names one
    (matched by normalised name, created when new). Returns (job, employer_created).
    """
    _only(fields, JOB_FIELDS)
    require(user, EDIT, client)
    validate_wage(fields.get("hourly_wage"), confirmed=wage_confirmed)
    with transaction.atomic():
        validate_job_start(client, fields.get("start_date"))
        created = False
        if employer is None:
            employer, created = find_or_create_employer(client.program, employer_name, user=user)
        job = JobStart(client=client, employer=employer, **fields)
        validate_job(job)
        model_checks(job)
        job.save()
        record(None, Action.CREATE, job, user=user)
    return job, created


def _correct(obj: models.Model, fields: dict[str, Any], *, user: User, version: str | None) -> None:
    """Save corrected values under the optimistic lock (`version` None: no check), audited."""
    with transaction.atomic():
        lock(obj, version)
        before = column_values(obj, fields)
        for name, value in fields.items():
            setattr(obj, name, value)
        model_checks(obj)
        obj.save()
        record(None, Action.UPDATE, obj, user=user, changes=field_changes(obj, before))


def update_job(
    job: JobStart, *, user: User, version: str | None = None, wage_confirmed: bool = False, **fields: Any
) -> JobStart:
    """Correct a job's facts (its employer among them) under the same rules as recording it."""
    _only(fields, ("employer", *JOB_FIELDS))
    require(user, EDIT, job)
    if "hourly_wage" in fields and fields["hourly_wage"] != job.hourly_wage:
        validate_wage(fields["hourly_wage"], confirmed=wage_confirmed)
    for name, value in fields.items():
        setattr(job, name, value)
    validate_job(job)
    _correct(job, fields, user=user, version=version)
    return job


def end_job(
    job: JobStart,
    *,
    user: User,
    end_date: datetime.date | None,
    end_type: str,
    version: str | None = None,
    end_reason: str = "",
    lessons_learned: str = "",
    next_step: str = "",
) -> JobStart:
    """End a job (or correct its end). The database also refuses an end before the start."""
    require(user, EDIT, job)
    if not end_type:
        raise RuleViolation({"end_type": "Choose how the job ended."})
    validate_job_end(job, end_date)
    fields = {"end_date": end_date, "end_type": end_type, "end_reason": end_reason}
    _correct(job, {**fields, "lessons_learned": lessons_learned, "next_step": next_step}, user=user, version=version)
    return job


# Follow-along supports -------------------------------------------------------------------------


def add_support(
    job: JobStart,
    *,
    user: User,
    support_date: datetime.date,
    description: str,
    provider: str = "specialist",
    staff: User | None = None,
    minutes: int | None = None,
) -> FollowAlongSupport:
    require(user, EDIT, job)
    validate_support(job, support_date, staff)
    support = FollowAlongSupport(
        job=job, support_date=support_date, description=description, provider=provider, staff=staff, minutes=minutes
    )
    model_checks(support)
    with transaction.atomic():
        support.save()
        record(None, Action.CREATE, support, user=user)
    return support


def update_support(
    support: FollowAlongSupport, *, user: User, version: str | None = None, **fields: Any
) -> FollowAlongSupport:
    """Correct a follow-along support (same rules as adding one; EditConflict as above)."""
    _only(fields, SUPPORT_FIELDS)
    require(user, EDIT, support)
    for name, value in fields.items():
        setattr(support, name, value)
    validate_support(support.job, support.support_date, support.staff)
    _correct(support, fields, user=user, version=version)
    return support


# Employer contacts -----------------------------------------------------------------------------


def log_employer_contact(
    employer: Employer,
    *,
    user: User,
    contact_date: datetime.date,
    clients: Iterable[Client] = (),
    client_specific: bool | None = None,
    **fields: Any,
) -> EmployerContact:
    """One entry of the job-development log, made by `user`. Choosing clients makes it client-specific."""
    _only(fields, CONTACT_FIELDS)
    require(user, EDIT, employer)
    clients = list(clients)
    if client_specific is None:
        client_specific = bool(clients)
    validate_employer_contact(employer, contact_date, clients, client_specific)
    contact = EmployerContact(
        employer=employer,
        specialist=user,
        contact_date=contact_date,
        client_specific=client_specific or bool(clients),
        **fields,
    )
    model_checks(contact)
    with transaction.atomic():
        contact.save()
        if clients:
            contact.clients.set(clients)
        record(None, Action.CREATE, contact, user=user)
    return contact


def update_employer_contact(
    contact: EmployerContact,
    *,
    user: User,
    employer: Employer,
    contact_date: datetime.date,
    clients: Iterable[Client] = (),
    client_specific: bool | None = None,
    version: str | None = None,
    **fields: Any,
) -> EmployerContact:
    """Correct a logged employer contact, under the same rules as logging it.

    `version` is the contact's version (core.locking.version_of) the editor started from: a
    save over a newer version raises core.locking.EditConflict and changes nothing.
    """
    _only(fields, CONTACT_FIELDS)
    require(user, EDIT, contact, employer)
    clients = list(clients)
    if client_specific is None:
        client_specific = bool(clients)
    validate_employer_contact(employer, contact_date, clients, client_specific)
    values = {"employer": employer, "contact_date": contact_date, "client_specific": client_specific or bool(clients)}
    with transaction.atomic():
        _correct(contact, {**values, **fields}, user=user, version=version)
        contact.clients.set(clients)
    return contact


def delete_record(obj: EmployerContact | FollowAlongSupport, *, user: User, reason: str) -> None:
    """Delete an employer contact or a follow-along support recorded by mistake, with a reason.

    Audited (reason and deleted values) while it and its program exist; an employer contact's clients
    (a many-to-many, not among its columns) are kept in the same entry."""
    if not isinstance(obj, EmployerContact | FollowAlongSupport):
        raise TypeError(f"Not a correctable record: {type(obj).__name__}")
    require(user, EDIT, obj)
    extra = {}
    if isinstance(obj, EmployerContact):
        extra["client_ids"] = sorted(obj.clients.values_list("pk", flat=True))
    delete_with_reason(obj, user=user, reason=reason, extra=extra)


def delete_job(job: JobStart, *, user: User, reason: str) -> None:
    """Delete a job recorded by mistake (e.g. on the wrong client), with a reason.

    Its follow-along supports go with it (they were given for this job, so they are as wrong as it
    is); their values are kept in the same audit entry as the job's, so both can be read back."""
    require(user, EDIT, job)
    with transaction.atomic():
        lock(job)
        supports = [values_of(s) for s in FollowAlongSupport.objects.filter(job=job).order_by("support_date", "pk")]
        delete_with_reason(job, user=user, reason=reason, extra={"supports_deleted": supports})
