"""Write-side business rules for clients: the same functions serve the pages and (later) the API.

Each function takes the acting user as the keyword-only `user`, refuses records outside what that
user may edit (programs.access.require: another program's record is a 404), validates, writes inside
one transaction together with its audit event, and returns the saved record. A refused rule raises
core.errors.RuleViolation, keyed by field where it belongs to one; an edit that started from an older
version than the saved one raises core.locking.EditConflict and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.services import field_changes, record
from core.dates import check_not_in_future
from core.errors import RuleViolation
from core.locking import EditConflict, lock
from programs.access import Capability, require
from programs.models import Program, User
from programs.selectors import specialists_of

from .models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    Contact,
    ContactMode,
    ContactPlace,
    ContactWith,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)

EDIT = Capability.EDIT_CLIENTS
M = TypeVar("M", bound=models.Model)


def _check_specialist(program: Program, specialist: User | None) -> None:
    if specialist is not None and not specialists_of(program).filter(pk=specialist.pk).exists():
        raise RuleViolation({"specialist": "Choose one of the program's employment specialists."})


def _validated(obj: M) -> M:
    """The model's own checks as a RuleViolation: fields, constraints and plausible data (dates not
    in the future nor before the referral, note length: clients.plausible), shared with the admin."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RuleViolation(exc.message_dict) from exc
    return obj


def _validated_fields(obj: M) -> M:
    """Like _validated without the database constraints (a caller that catches their IntegrityError)."""
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise RuleViolation(exc.message_dict) from exc
    return obj


def _create(obj: M, *, user: User) -> M:
    """Validate, save and audit a new record (inside the caller's transaction, or its own)."""
    _validated(obj)
    with transaction.atomic():
        obj.save()
        record(None, Action.CREATE, obj, user=user)
    return obj


def _update(obj: M, fields: dict[str, Any], *, user: User, version: str | None) -> M:
    """Correct `obj` with `fields` under the optimistic lock (`version` None: no check), audited."""
    require(user, EDIT, obj)
    before = {name: getattr(obj, name) for name in fields}
    for name, value in fields.items():
        setattr(obj, name, value)
    try:
        _validated(obj)
    except RuleViolation:
        for name, value in before.items():  # a refused correction leaves the caller's record as it was
            setattr(obj, name, value)
        raise
    with transaction.atomic():
        lock(obj, version)
        obj.save()
        record(None, Action.UPDATE, obj, user=user, changes=field_changes(obj, before))
    return obj


# --- Contacts and episodes -------------------------------------------------------------------------


def log_contact(
    client: Client,
    *,
    user: User,
    contact_date: datetime.date | None = None,
    with_whom: str = ContactWith.CLIENT,
    mode: str = ContactMode.FACE_TO_FACE,
    place: str = ContactPlace.COMMUNITY,
    minutes: int | None = None,
    note: str = "",
) -> Contact:
    """Log one contact about `client` by `user`. Defaults are the common case in the field:
    today, with the client, face to face, in the community."""
    require(user, EDIT, client)
    contact_date = contact_date or timezone.localdate()
    check_not_in_future(contact_date, field="contact_date", label="The contact date")
    if not mode:
        raise RuleViolation({"mode": "Choose how the contact happened."})
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
    return _create(contact, user=user)


def update_contact(contact: Contact, *, user: User, version: str | None = None, **fields: Any) -> Contact:
    """Correct a logged contact under the same rules as logging it (optimistic lock on `version`)."""
    if "note" in fields:
        fields["note"] = (fields["note"] or "").strip()
    if not fields.get("mode", contact.mode):
        raise RuleViolation({"mode": "Choose how the contact happened."})
    return _update(contact, fields, user=user, version=version)


DUPLICATE_RECORD_NUMBER = "Another client of this program has this record number."


@transaction.atomic
def refer(
    program: Program,
    *,
    user: User,
    referral_date: datetime.date,
    specialist: User | None = None,
    **client_fields: Any,
) -> Client:
    """A new referral: the client and an open episode with its referral date (not yet enrolled)."""
    require(user, EDIT, program)
    check_not_in_future(referral_date, field="referral_date", label="The referral date")
    _check_specialist(program, specialist)
    record_number = client_fields.get("record_number", "")
    if Client.objects.filter(program=program, record_number=record_number).exists():
        raise RuleViolation({"record_number": DUPLICATE_RECORD_NUMBER})
    client = _validated(Client(program=program, **client_fields))
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent referral took the number between check and save
        raise RuleViolation({"record_number": DUPLICATE_RECORD_NUMBER}) from exc
    _validated(Enrollment(client=client, referral_date=referral_date, specialist=specialist)).save()
    record(None, Action.CREATE, client, user=user)
    return client


@transaction.atomic
def enroll(
    enrollment: Enrollment,
    *,
    user: User,
    enrollment_date: datetime.date,
    specialist: User | None,
    employed_at_enrollment: bool = False,
    version: str | None = None,
) -> Enrollment:
    """Set the enrollment date (and specialist) of a pending or open episode. `version` (the episode's
    version when the form was opened) refuses a save over someone else's newer one (EditConflict)."""
    require(user, EDIT, enrollment)
    check_not_in_future(enrollment_date, field="enrollment_date", label="The enrollment date")
    if enrollment_date < enrollment.referral_date:
        raise RuleViolation({"enrollment_date": "The enrollment date cannot be before the referral date."})
    _check_specialist(enrollment.client.program, specialist)
    with transaction.atomic():
        current = lock(enrollment, version)
        if current.closure_date is not None:
            raise RuleViolation("This episode is closed; re-enroll the client instead.")
        current.enrollment_date = enrollment_date
        current.specialist = specialist
        current.employed_at_enrollment = employed_at_enrollment
        changes = field_changes(current)  # before the save: against the saved row
        _validated(current).save()
        record(None, Action.UPDATE, current, user=user, changes=changes)
    return current


def _already_closed(episode: Enrollment) -> RuleViolation:
    """Who closed the episode first (from its audit trail), so the person who lost the race knows."""
    closed = (
        AuditEvent.objects.filter(
            object_type=episode._meta.label_lower, object_id=str(episode.pk), action=Action.UPDATE
        )
        .select_related("user")
        .order_by("-pk")
        .first()
    )
    name = (
        (closed.user.get_full_name() or closed.username) if closed and closed.user else getattr(closed, "username", "")
    )
    by = f" by {name}" if name else ""
    reason = episode.get_closure_reason_display()
    return RuleViolation(f"This episode was already closed{by} on {episode.closure_date:%b %-d, %Y} ({reason}).")


@transaction.atomic
def close_enrollment(
    enrollment: Enrollment,
    *,
    user: User,
    closure_date: datetime.date,
    closure_reason: str,
    closure_note: str = "",
    version: str | None = None,
) -> Enrollment:
    """Close an open episode. The row is locked and re-read: of people closing at once exactly one
    succeeds, the others are told who closed it first; `version` refuses a form over a newer save."""
    require(user, EDIT, enrollment)
    check_not_in_future(closure_date, field="closure_date", label="The closure date")
    if not closure_reason:
        raise RuleViolation({"closure_reason": "Give the reason for closing."})
    try:
        current = lock(enrollment, version)
    except EditConflict as conflict:
        if isinstance(conflict.current, Enrollment) and conflict.current.closure_date is not None:
            raise _already_closed(conflict.current) from conflict
        raise
    if current.closure_date is not None:
        raise _already_closed(current)
    start = current.enrollment_date or current.referral_date
    if closure_date < start:
        raise RuleViolation({"closure_date": f"The closure date cannot be before {start:%b %-d, %Y}."})
    current.closure_date = closure_date
    current.closure_reason = closure_reason
    current.closure_note = closure_note
    changes = field_changes(current)  # before the save: against the saved row
    _validated(current).save()
    record(None, Action.UPDATE, current, user=user, changes=changes)
    return current


def reenroll(
    client: Client,
    *,
    user: User,
    referral_date: datetime.date,
    enrollment_date: datetime.date | None = None,
    specialist: User | None = None,
    employed_at_enrollment: bool = False,
) -> Enrollment:
    """A new episode for a client whose episodes are all closed. The database allows one open
    episode per client: a concurrent re-enrollment loses with a RuleViolation, not a 500."""
    require(user, EDIT, client)
    check_not_in_future(referral_date, field="referral_date", label="The referral date")
    check_not_in_future(enrollment_date, field="enrollment_date", label="The enrollment date")
    if enrollment_date is not None and enrollment_date < referral_date:
        raise RuleViolation({"enrollment_date": "The enrollment date cannot be before the referral date."})
    _check_specialist(client.program, specialist)
    last = Enrollment.objects.filter(client=client, closure_date__isnull=False).order_by("-closure_date").first()
    if last is not None and last.closure_date is not None and referral_date < last.closure_date:
        raise RuleViolation({"referral_date": "The new episode cannot start before the last one closed."})
    already_open = RuleViolation("This client already has an open enrollment.")
    if Enrollment.objects.filter(client=client, closure_date__isnull=True).exists():
        raise already_open
    try:
        with transaction.atomic():
            episode = Enrollment(
                client=client,
                referral_date=referral_date,
                enrollment_date=enrollment_date,
                specialist=specialist,
                employed_at_enrollment=employed_at_enrollment,
            )
            # Constraints are checked by the database here: the one-open-episode race ends below.
            _validated_fields(episode).save()
            record(None, Action.CREATE, episode, user=user)
            return episode
    except IntegrityError as exc:
        raise already_open from exc


# --- Career profile and work history ---------------------------------------------------------------


def save_career_profile(client: Client, *, user: User, version: str | None = None, **fields: Any) -> CareerProfile:
    """Create the client's career profile, or update it under the optimistic lock."""
    require(user, EDIT, client)
    profile = CareerProfile.objects.filter(client=client).first()
    if profile is not None:
        return _update(profile, fields, user=user, version=version)
    return _create(CareerProfile(client=client, **fields), user=user)


def add_past_job(client: Client, *, user: User, **fields: Any) -> WorkHistoryEntry:
    """A job the client held before (in the career profile's work history, created if missing)."""
    require(user, EDIT, client)
    with transaction.atomic():
        profile = CareerProfile.objects.get_or_create(client=client)[0]
        return _create(WorkHistoryEntry(profile=profile, **fields), user=user)


def update_past_job(
    entry: WorkHistoryEntry, *, user: User, version: str | None = None, **fields: Any
) -> WorkHistoryEntry:
    return _update(entry, fields, user=user, version=version)


# --- Employment plan and steps ---------------------------------------------------------------------


@transaction.atomic
def start_plan(
    client: Client, *, user: User, goal: str, start_date: datetime.date, review_date: datetime.date | None = None
) -> EmploymentPlan:
    """A new employment plan; the previous current plan stops being current."""
    require(user, EDIT, client)
    if review_date is not None and review_date < start_date:
        raise RuleViolation({"review_date": "The review date cannot be before the plan starts."})
    EmploymentPlan.objects.select_for_update().filter(client=client, is_current=True).update(is_current=False)
    plan = EmploymentPlan.objects.create(
        client=client, goal=goal, start_date=start_date, review_date=review_date, is_current=True
    )
    record(None, Action.CREATE, plan, user=user)
    return plan


def update_plan(plan: EmploymentPlan, *, user: User, version: str | None = None, **fields: Any) -> EmploymentPlan:
    return _update(plan, fields, user=user, version=version)


def add_step(plan: EmploymentPlan, *, user: User, **fields: Any) -> PlanStep:
    require(user, EDIT, plan)
    if "position" not in fields:
        last = plan.steps.order_by("-position").values_list("position", flat=True).first()
        fields["position"] = (last or 0) + 1
    return _create(PlanStep(plan=plan, **fields), user=user)


def update_step(step: PlanStep, *, user: User, version: str | None = None, **fields: Any) -> PlanStep:
    return _update(step, fields, user=user, version=version)


def complete_step(step: PlanStep, *, user: User, done: bool = True, on: datetime.date | None = None) -> PlanStep:
    """Set a plan step done (on `on`, today unless given) or not done. The request names the state it
    wants, so a repeated tap (slow network) changes nothing: a done step keeps its completion date."""
    require(user, EDIT, step)
    on = on or timezone.localdate()
    check_not_in_future(on, field="completed_on", label="The completion date")
    with transaction.atomic():
        current = lock(step)
        if (current.completed_on is not None) == done:
            return current  # already in the state asked for
        before = {"completed_on": current.completed_on}
        current.completed_on = on if done else None
        _validated(current)
        current.save(update_fields=["completed_on", "updated_at"])
        record(None, Action.UPDATE, current, user=user, changes=field_changes(current, before))
    return current


# --- Benefits counseling ---------------------------------------------------------------------------


def add_benefits_session(client: Client, *, user: User, **fields: Any) -> BenefitsCounselingSession:
    require(user, EDIT, client)
    return _create(BenefitsCounselingSession(client=client, **fields), user=user)


def update_benefits_session(
    session: BenefitsCounselingSession, *, user: User, version: str | None = None, **fields: Any
) -> BenefitsCounselingSession:
    return _update(session, fields, user=user, version=version)
