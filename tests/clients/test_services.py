"""clients.services called directly (as the API will): the acting user's access is checked on every
write (another program's user gets a 404 and nothing changes), rules raise RuleViolation, every write
is audited by the service itself."""

import datetime

import pytest
from django.http import Http404

from audit.models import Action, AuditEvent
from clients import corrections, services
from clients.models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    Contact,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)
from core.errors import RuleViolation
from core.locking import EditConflict, version_of

from .. import factories as f
from .support import ago, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(own_client):
    """One of each record of program A's client that a service changes."""
    entry = f.WorkHistoryEntryFactory(profile=f.CareerProfileFactory(client=own_client))
    plan = f.EmploymentPlanFactory(client=own_client)
    return {
        "client": own_client,
        "episode": own_client.enrollments.get(),
        "entry": entry,
        "plan": plan,
        "step": f.PlanStepFactory(plan=plan),
        "session": f.BenefitsCounselingSessionFactory(client=own_client, session_date=ago(1)),
    }


def calls(r, program):
    """Every write of clients.services, with valid arguments, on program A's records."""
    return {
        "log_contact": lambda user: services.log_contact(r["client"], user=user),
        "refer": lambda user: services.refer(
            program,
            user=user,
            referral_date=ago(1),
            first_name="New",
            last_name="Client",
            record_number="N-1",
            date_of_birth=datetime.date(1990, 1, 1),
            diagnosis_group="depression",
        ),
        "enroll": lambda user: services.enroll(r["episode"], user=user, enrollment_date=ago(1), specialist=None),
        "close_enrollment": lambda user: services.close_enrollment(
            r["episode"], user=user, closure_date=ago(1), closure_reason="moved"
        ),
        "reenroll": lambda user: services.reenroll(r["client"], user=user, referral_date=ago(1)),
        "save_career_profile": lambda user: services.save_career_profile(r["client"], user=user, work_goals="X"),
        "add_past_job": lambda user: services.add_past_job(r["client"], user=user, employer_name="E", job_title="J"),
        "update_past_job": lambda user: services.update_past_job(r["entry"], user=user, job_title="Changed"),
        "delete_past_job": lambda user: corrections.delete_past_job(r["entry"], user=user, reason="Duplicate"),
        "start_plan": lambda user: services.start_plan(r["client"], user=user, goal="New goal", start_date=today()),
        "update_plan": lambda user: services.update_plan(r["plan"], user=user, goal="Changed"),
        "add_step": lambda user: services.add_step(r["plan"], user=user, description="New step"),
        "update_step": lambda user: services.update_step(r["step"], user=user, description="Changed"),
        "complete_step": lambda user: services.complete_step(r["step"], user=user),
        "add_benefits_session": lambda user: services.add_benefits_session(
            r["client"], user=user, session_date=today(), counselor_name="Ada"
        ),
        "update_benefits_session": lambda user: services.update_benefits_session(
            r["session"], user=user, counselor_name="Changed"
        ),
    }


MODELS = [Client, Contact, Enrollment, CareerProfile, WorkHistoryEntry, EmploymentPlan, PlanStep]


def snapshot():
    models = [*MODELS, BenefitsCounselingSession]
    return {m: list(m.objects.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", list(calls({}, None)))
def test_another_programs_user_is_refused_and_nothing_changes(name, records, program_a, specialist_b):
    before, events = snapshot(), AuditEvent.objects.exclude(action=Action.DENIED).count()
    with pytest.raises(Http404):
        calls(records, program_a)[name](specialist_b)
    assert snapshot() == before
    # Nothing written; the refusal itself may be on record (programs.access logs denied access).
    assert AuditEvent.objects.exclude(action=Action.DENIED).count() == events


@pytest.mark.parametrize("name", list(calls({}, None)))
def test_the_programs_specialist_may_and_the_write_is_audited(name, records, program_a, specialist_a):
    if name == "reenroll":
        records["episode"].closure_date, records["episode"].closure_reason = ago(2), "moved"
        records["episode"].save()
    deleted = records["entry"].pk
    saved = calls(records, program_a)[name](specialist_a)
    event = AuditEvent.objects.exclude(action=Action.VIEW).latest("pk")
    assert event.user == specialist_a and event.path == ""  # no request: no path
    if saved is None:  # a deletion, audited before the row went
        assert (event.action, event.object_id) == (Action.DELETE, str(deleted))
    else:
        assert (event.object_type, event.object_id) == (saved._meta.label_lower, str(saved.pk))


def test_log_contact_refuses_future_dates_and_defaults_to_today(own_client, specialist_a):
    with pytest.raises(RuleViolation) as exc:
        services.log_contact(own_client, user=specialist_a, contact_date=today() + datetime.timedelta(days=1))
    assert "contact_date" in exc.value.message_dict
    contact = services.log_contact(own_client, user=specialist_a, note="  hello ")
    assert (contact.contact_date, contact.with_whom, contact.note, contact.staff) == (
        today(),
        "client",
        "hello",
        specialist_a,
    )


def test_corrections_check_the_dates_the_model_and_the_version(records, specialist_a):
    entry = records["entry"]
    with pytest.raises(RuleViolation) as exc:
        services.update_past_job(entry, user=specialist_a, end_date=today() + datetime.timedelta(days=1))
    assert "end_date" in exc.value.message_dict
    with pytest.raises(RuleViolation):  # the model's own constraint: the end after the start
        services.update_past_job(entry, user=specialist_a, start_date=ago(10), end_date=ago(20))
    stale = version_of(entry)
    services.update_past_job(entry, user=specialist_a, version=stale, job_title="First")
    with pytest.raises(EditConflict):
        services.update_past_job(entry, user=specialist_a, version=stale, job_title="Second")
    entry.refresh_from_db()
    assert entry.job_title == "First"
