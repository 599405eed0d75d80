"""Business rules for jobs and job development (writes).

Views and the later REST API call these functions; each one validates what the database
cannot (dates against today and the enrollment, the program of every related record) and
writes inside one transaction, so nothing is ever half-saved. Rule violations raise
`django.core.exceptions.ValidationError` keyed by field name, ready for `form.add_error(None, e)`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import Enrollment
from core.locking import EditConflict, version_of

from .models import Employer, EmployerContact, FollowAlongSupport, JobStart, normalize_employer_name

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


class DuplicateEmployer(ValidationError):
    """An employer with the same normalised name already exists in the program."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__({"name": f"“{existing.name}” already exists in this program."}, code="duplicate")


def find_employer(program, name, *, exclude_pk=None):
    """The program's employer whose normalised name equals that of `name`, or None."""
    normalized = normalize_employer_name(name or "")
    if not normalized:
        return None
    qs = Employer.objects.filter(program=program, normalized_name=normalized)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def save_employer(employer):
    """Save a new or edited employer; a duplicate name (also a race) raises DuplicateEmployer."""
    existing = find_employer(employer.program, employer.name, exclude_pk=employer.pk)
    if existing is not None:
        raise DuplicateEmployer(existing)
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        existing = find_employer(employer.program, employer.name, exclude_pk=employer.pk)
        if existing is None:
            raise
        raise DuplicateEmployer(existing) from None
    return employer


def find_or_create_employer(program, name, **fields):
    """The program's employer called `name` (after normalising), created if missing.

    Returns (employer, created). Safe under concurrency: a simultaneous create of the same
    name ends with both callers holding the one row.
    """
    name = (name or "").strip()
    if not normalize_employer_name(name):
        raise ValidationError({"employer_name": "Enter the employer's name."})
    existing = find_employer(program, name)
    if existing is not None:
        return existing, False
    try:
        return save_employer(Employer(program=program, name=name, **fields)), True
    except DuplicateEmployer as duplicate:
        return duplicate.existing, False


def open_enrollment(client):
    return Enrollment.objects.filter(client=client, closure_date__isnull=True).first()


def _day(day):
    return f"{day:%b} {day.day}, {day.year}"


def _not_in_future(errors, field, day, what):
    if day and day > timezone.localdate():
        errors[field] = f"The {what} cannot be in the future."


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def validate_job_start(client, start_date, *, enrollment=None):
    """A job start needs an open enrollment; its date is not in the future nor before the referral."""
    errors = {}
    enrollment = enrollment or open_enrollment(client)
    if enrollment is None:
        raise ValidationError("This client has no open enrollment: enroll the client before recording a job.")
    _not_in_future(errors, "start_date", start_date, "start date")
    if start_date and start_date < enrollment.referral_date:
        errors["start_date"] = (
            f"The start date is before the referral ({_day(enrollment.referral_date)}). "
            "Earlier jobs belong in the work history of the career profile."
        )
    _raise(errors)
    return enrollment


def validate_job(job):
    """Checks shared by job start and job edit (the program of the employer, the dates)."""
    errors = {}
    if job.employer_id and job.employer.program_id != job.client.program_id:
        errors["employer"] = "Choose an employer of the client's program."
    _not_in_future(errors, "start_date", job.start_date, "start date")
    if job.end_date and job.start_date and job.end_date < job.start_date:
        errors["start_date"] = "The start date cannot be after the job's end date."
    _raise(errors)


def record_job_start(client, *, employer=None, employer_name="", **fields):
    """Record a job for a client with an open enrollment.

    `employer` is one of the client's program's employers, or `employer_name` names one
    (matched by normalised name, created when new). Returns (job, employer_created).
    """
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job fields: {sorted(unknown)}")
    with transaction.atomic():
        validate_job_start(client, fields.get("start_date"))
        created = False
        if employer is None:
            employer, created = find_or_create_employer(client.program, employer_name)
        job = JobStart(client=client, employer=employer, **fields)
        validate_job(job)
        job.save()
    return job, created


def benefits_session_before(client, day):
    """Was there a benefits-counseling session on or before `day`?"""
    return client.benefits_sessions.filter(session_date__lte=day).exists()


def validate_job_end(job, end_date):
    errors = {}
    _not_in_future(errors, "end_date", end_date, "end date")
    if end_date and end_date < job.start_date:
        errors["end_date"] = f"The job cannot end before it started ({_day(job.start_date)})."
    _raise(errors)


def end_job(job, *, end_date, end_type, end_reason="", lessons_learned="", next_step=""):
    """End a job (or correct its end). The database also refuses an end before the start."""
    if not end_type:
        raise ValidationError({"end_type": "Choose how the job ended."})
    validate_job_end(job, end_date)
    with transaction.atomic():
        job.end_date, job.end_type = end_date, end_type
        job.end_reason, job.lessons_learned, job.next_step = end_reason, lessons_learned, next_step
        job.save()
    return job


def validate_support(job, support_date, staff=None):
    errors = {}
    _not_in_future(errors, "support_date", support_date, "support date")
    if support_date and support_date < job.start_date:
        errors["support_date"] = f"Follow-along support starts with the job ({_day(job.start_date)})."
    if staff is not None and not staff.memberships.filter(program_id=job.client.program_id, is_active=True).exists():
        errors["staff"] = "Choose a staff member of the client's program."
    _raise(errors)


def add_support(job, *, support_date, description, provider="specialist", staff=None, minutes=None):
    validate_support(job, support_date, staff)
    with transaction.atomic():
        return FollowAlongSupport.objects.create(
            job=job,
            support_date=support_date,
            description=description,
            provider=provider,
            staff=staff,
            minutes=minutes,
        )


def validate_employer_contact(employer, contact_date, clients=(), client_specific=False):
    errors = {}
    _not_in_future(errors, "contact_date", contact_date, "contact date")
    if any(c.program_id != employer.program_id for c in clients):
        errors["clients"] = "Choose clients of the employer's program only."
    elif client_specific and not clients:
        errors["clients"] = "Choose the client(s) discussed, or untick “client-specific”."
    _raise(errors)


def log_employer_contact(employer, specialist, *, contact_date, clients=(), client_specific=None, **fields):
    """One entry of the job-development log. Choosing clients makes the contact client-specific."""
    clients = list(clients)
    if client_specific is None:
        client_specific = bool(clients)
    validate_employer_contact(employer, contact_date, clients, client_specific)
    with transaction.atomic():
        contact = EmployerContact.objects.create(
            employer=employer,
            specialist=specialist,
            contact_date=contact_date,
            client_specific=client_specific or bool(clients),
            **fields,
        )
        if clients:
            contact.clients.set(clients)
    return contact


def _check_version(record, version):
    """Lock the record's row; EditConflict if it changed (or went) since `version` was read.

    Call inside a transaction. `version` None skips the check (a caller without a form)."""
    locked = type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise EditConflict("This record was deleted by someone else.")
    if version is not None and version_of(locked) != version:
        raise EditConflict("Someone else saved this record while you were editing it.")


def _only(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def update_employer_contact(
    contact, *, employer, contact_date, clients=(), client_specific=None, version=None, **fields
):
    """Correct a logged employer contact, under the same rules as logging it.

    `version` is the contact's version (core.locking.version_of) the editor started from: a
    save over a newer version raises core.locking.EditConflict and changes nothing.
    """
    _only(fields, CONTACT_FIELDS)
    clients = list(clients)
    if client_specific is None:
        client_specific = bool(clients)
    validate_employer_contact(employer, contact_date, clients, client_specific)
    with transaction.atomic():
        _check_version(contact, version)
        contact.employer, contact.contact_date = employer, contact_date
        contact.client_specific = client_specific or bool(clients)
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.save()
        contact.clients.set(clients)
    return contact


def update_support(support, *, version=None, **fields):
    """Correct a follow-along support (same rules as adding one; EditConflict as above)."""
    _only(fields, SUPPORT_FIELDS)
    for name, value in fields.items():
        setattr(support, name, value)
    validate_support(support.job, support.support_date, support.staff)
    with transaction.atomic():
        _check_version(support, version)
        support.save()
    return support


def delete_record(record):
    """Delete an employer contact or a follow-along support (the caller audits it first)."""
    if not isinstance(record, EmployerContact | FollowAlongSupport):
        raise TypeError(f"Not a correctable record: {type(record).__name__}")
    with transaction.atomic():
        record.delete()
