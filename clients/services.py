"""Write-side business rules for clients: the same functions serve the pages and (later) the API.

Each function validates, writes inside one transaction and returns the saved record; rule
violations are raised as `django.core.exceptions.ValidationError` keyed by field name, so a form
can show them by the right field. Auditing is the caller's job (it knows the request).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from programs.selectors import specialists_of

from .models import Client, Contact, ContactMode, ContactPlace, ContactWith, EmploymentPlan, Enrollment, PlanStep


def not_in_future(value, field, label="The date"):
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: f"{label} cannot be in the future."})


def _check_specialist(program, specialist):
    if specialist is not None and not specialists_of(program).filter(pk=specialist.pk).exists():
        raise ValidationError({"specialist": "Choose one of the program's employment specialists."})


def log_contact(user, client, *, contact_date=None, with_whom=ContactWith.CLIENT, mode=ContactMode.FACE_TO_FACE,
                place=ContactPlace.COMMUNITY, minutes=None, note=""):  # fmt: skip
    """Log one contact about `client` by `user`. Defaults are the common case in the field:
    today, with the client, face to face, in the community."""
    contact_date = contact_date or timezone.localdate()
    not_in_future(contact_date, "contact_date", "The contact date")
    if not mode:
        raise ValidationError({"mode": "Choose how the contact happened."})
    contact = Contact(
        client=client,
        staff=user,
        contact_date=contact_date,
        with_whom=with_whom,
        mode=mode,
        place=place,
        minutes=minutes,
        note=note.strip(),
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def refer(user, program, *, referral_date, specialist=None, **client_fields):
    """A new referral: the client and an open episode with its referral date (not yet enrolled)."""
    not_in_future(referral_date, "referral_date", "The referral date")
    _check_specialist(program, specialist)
    record_number = client_fields.get("record_number", "")
    if Client.objects.filter(program=program, record_number=record_number).exists():
        raise ValidationError({"record_number": "Another client of this program has this record number."})
    client = Client(program=program, **client_fields)
    client.full_clean()
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent referral took the number between check and save
        raise ValidationError({"record_number": "Another client of this program has this record number."}) from exc
    Enrollment.objects.create(client=client, referral_date=referral_date, specialist=specialist)
    return client


@transaction.atomic
def enroll(user, enrollment, *, enrollment_date, specialist, employed_at_enrollment=False):
    """Set the enrollment date (and specialist) of a pending or open episode."""
    if enrollment.closure_date is not None:
        raise ValidationError("This episode is closed; re-enroll the client instead.")
    not_in_future(enrollment_date, "enrollment_date", "The enrollment date")
    if enrollment_date < enrollment.referral_date:
        raise ValidationError({"enrollment_date": "The enrollment date cannot be before the referral date."})
    _check_specialist(enrollment.client.program, specialist)
    enrollment.enrollment_date = enrollment_date
    enrollment.specialist = specialist
    enrollment.employed_at_enrollment = employed_at_enrollment
    enrollment.save()
    return enrollment


@transaction.atomic
def close_enrollment(user, enrollment, *, closure_date, closure_reason, closure_note=""):
    if enrollment.closure_date is not None:
        raise ValidationError("This episode is already closed.")
    not_in_future(closure_date, "closure_date", "The closure date")
    start = enrollment.enrollment_date or enrollment.referral_date
    if closure_date < start:
        raise ValidationError({"closure_date": f"The closure date cannot be before {start:%b %-d, %Y}."})
    if not closure_reason:
        raise ValidationError({"closure_reason": "Give the reason for closing."})
    enrollment.closure_date = closure_date
    enrollment.closure_reason = closure_reason
    enrollment.closure_note = closure_note
    enrollment.save()
    return enrollment


def reenroll(user, client, *, referral_date, enrollment_date=None, specialist=None, employed_at_enrollment=False):
    """A new episode for a client whose episodes are all closed. The database allows one open
    episode per client: a concurrent re-enrollment loses with a ValidationError, not a 500."""
    not_in_future(referral_date, "referral_date", "The referral date")
    not_in_future(enrollment_date, "enrollment_date", "The enrollment date")
    if enrollment_date is not None and enrollment_date < referral_date:
        raise ValidationError({"enrollment_date": "The enrollment date cannot be before the referral date."})
    _check_specialist(client.program, specialist)
    last = Enrollment.objects.filter(client=client, closure_date__isnull=False).order_by("-closure_date").first()
    if last is not None and referral_date < last.closure_date:
        raise ValidationError({"referral_date": "The new episode cannot start before the last one closed."})
    already_open = ValidationError("This client already has an open enrollment.")
    if Enrollment.objects.filter(client=client, closure_date__isnull=True).exists():
        raise already_open
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                client=client,
                referral_date=referral_date,
                enrollment_date=enrollment_date,
                specialist=specialist,
                employed_at_enrollment=employed_at_enrollment,
            )
    except IntegrityError as exc:
        raise already_open from exc


@transaction.atomic
def start_plan(user, client, *, goal, start_date, review_date=None):
    """A new employment plan; the previous current plan stops being current."""
    if review_date is not None and review_date < start_date:
        raise ValidationError({"review_date": "The review date cannot be before the plan starts."})
    EmploymentPlan.objects.select_for_update().filter(client=client, is_current=True).update(is_current=False)
    return EmploymentPlan.objects.create(
        client=client, goal=goal, start_date=start_date, review_date=review_date, is_current=True
    )


def add_step(user, plan, **fields):
    if "position" not in fields:
        last = plan.steps.order_by("-position").values_list("position", flat=True).first()
        fields["position"] = (last or 0) + 1
    step = PlanStep(plan=plan, **fields)
    not_in_future(step.completed_on, "completed_on", "The completion date")
    step.full_clean()
    step.save()
    return step


def complete_step(user, step, *, on=None):
    """Mark a plan step done (today unless `on` is given); marking it again undoes it."""
    on = on or timezone.localdate()
    not_in_future(on, "completed_on", "The completion date")
    step.completed_on = None if step.completed_on else on
    step.save(update_fields=["completed_on", "updated_at"])
    return step
