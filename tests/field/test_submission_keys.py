"""Double taps and retried sends: every create form posts a submission key, and a repeat with the
same key returns the first result and creates nothing (core.SubmissionKey, one mechanism for pages,
the phone's outbox and the API)."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clients.models import BenefitsCounselingSession, Client, Contact, EmploymentPlan, PlanStep, WorkHistoryEntry
from core.models import SubmissionKey
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart

from .. import factories as f

pytestmark = pytest.mark.django_db


def day(n=0):
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def create_forms(c, employer, job, plan, program, specialist):
    """(url, data, model) of each create form: what a browser posts back once filled in."""
    clients = reverse("clients:client_detail", args=[c.pk])
    return {
        "quick_contact": (reverse("clients:quick_contact", args=[c.pk]), {"note": "Coffee", "next": clients}, Contact),
        "contact": (
            reverse("clients:contact_create", args=[c.pk]),
            {
                "contact_date": day(1),
                "with_whom": "client",
                "mode": "face_to_face",
                "place": "community",
                "minutes": "30",
                "note": "Coffee",
            },
            Contact,
        ),
        "referral": (
            reverse("clients:referral_create"),
            {
                "program": program.pk,
                "referral_date": day(1),
                "first_name": "Tamsin",
                "last_name": "Orchard",
                "record_number": "R-100",
                "date_of_birth": "1991-04-02",
                "diagnosis_group": "depression",
                "disclosure_preference": "undecided",
            },
            Client,
        ),
        "work_history": (
            reverse("clients:work_history_create", args=[c.pk]),
            {
                "employer_name": "Pier Café",
                "job_title": "Dishwasher",
                "start_date": "2020-01-01",
                "end_date": "2020-06-01",
            },
            WorkHistoryEntry,
        ),
        "plan": (
            reverse("clients:plan_create", args=[c.pk]),
            {"goal": "Library work", "start_date": day(1)},
            EmploymentPlan,
        ),
        "step": (
            reverse("clients:step_create", args=[c.pk, plan.pk]),
            {"description": "Call the library", "responsible": "specialist"},
            PlanStep,
        ),
        "benefits": (
            reverse("clients:benefits_create", args=[c.pk]),
            {
                "session_date": day(3),
                "counselor_name": "Ada Planner",
                "counselor_type": "wipa",
                "benefits_held": ["ssi"],
            },
            BenefitsCounselingSession,
        ),
        "job_start": (
            reverse("jobs:job_start_create", args=[c.pk]),
            {
                "employer": employer.pk,
                "job_title": "Baker's assistant",
                "occupation_group": "35",
                "start_date": day(3),
                "hours_per_week": "20",
                "hourly_wage": "16.25",
                "is_competitive": "on",
                "job_type": "permanent",
                "disclosure": "none",
            },
            JobStart,
        ),
        "support": (
            reverse("jobs:support_create", args=[job.pk]),
            {
                "support_date": day(1),
                "provider": "specialist",
                "staff": specialist.pk,
                "description": "Met the manager",
                "minutes": "20",
            },
            FollowAlongSupport,
        ),
        "employer": (reverse("jobs:employer_create"), {"name": "Maple Street Grocers", "industry": "Retail"}, Employer),
        "employer_contact": (
            reverse("jobs:employer_contact_create"),
            {
                "contact_date": day(1),
                "employer": employer.pk,
                "face_to_face": "on",
                "purpose": "introduction",
                "contact_person": "Sam",
                "made_by": "specialist",
                "outcome": "Interest",
            },
            EmployerContact,
        ),
    }


@pytest.fixture
def forms(field_client, field_employer, field_job, field_program, field_specialist):
    plan = f.EmploymentPlanFactory(client=field_client, start_date=timezone.localdate())
    return create_forms(field_client, field_employer, field_job, plan, field_program, field_specialist)


NAMES = [
    "quick_contact",
    "contact",
    "referral",
    "work_history",
    "plan",
    "step",
    "benefits",
    "job_start",
    "support",
    "employer",
    "employer_contact",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_repeated_submit_returns_the_first_result_and_creates_nothing(signed_in, forms, name):
    url, data, model = forms[name]
    page = signed_in.get(url).content.decode() if name != "quick_contact" else ""
    if page:  # the form as rendered carries a fresh key
        assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', page)
    before = model.objects.count()
    data = {**data, "submission_key": "a" * 32}
    first = signed_in.post(url, data)
    assert first.status_code == 302, getattr(first, "context", None) and first.context.get("form").errors
    assert model.objects.count() == before + 1
    again = signed_in.post(url, data)
    assert (again.status_code, again.url) == (302, first.url)
    assert model.objects.count() == before + 1
    # Another render's key is another submission.
    assert (
        signed_in.post(
            url, {**data, "submission_key": "b" * 32, "record_number": "R-101", "name": "Other Grocers"}
        ).status_code
        == 302
    )
    assert model.objects.count() == before + 2


def test_each_render_has_its_own_key(signed_in, forms):
    url = forms["contact"][0]
    keys = {re.search(r'name="submission_key" value="(\w+)"', signed_in.get(url).content.decode())[1] for _ in "ab"}
    assert len(keys) == 2


def test_a_refused_submit_keeps_its_key_and_saves_nothing(signed_in, forms, field_client):
    url, data, _ = forms["contact"]
    response = signed_in.post(url, {**data, "minutes": "5000", "submission_key": "c" * 32})
    assert response.status_code == 200 and 'value="' + "c" * 32 + '"' in response.content.decode()
    assert not SubmissionKey.objects.exists()
    assert signed_in.post(url, {**data, "submission_key": "c" * 32}).status_code == 302
    assert Contact.objects.filter(client=field_client, note="Coffee").count() == 1


def test_htmx_quick_log_repeat_renders_the_saved_row(signed_in, forms, field_client):
    url, data, _ = forms["quick_contact"]
    data = {**data, "from": "caseload", "submission_key": "d" * 32}
    for _ in range(2):
        response = signed_in.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Contact saved" in response.content.decode()
    assert Contact.objects.filter(client=field_client, note="Coffee").count() == 1


def test_outbox_sends_get_json_and_field_errors(signed_in, forms, field_client):
    url, data, _ = forms["contact"]
    headers = {"HTTP_X_OUTBOX": "1", "HTTP_IDEMPOTENCY_KEY": "e" * 32}
    refused = signed_in.post(url, {**data, "minutes": "5000"}, **headers)
    assert refused.status_code == 400 and "Minutes must be between" in str(refused.json()["errors"])
    for replayed in (False, True):
        response = signed_in.post(url, data, **headers)
        detail = reverse("clients:client_detail", args=[field_client.pk])
        assert response.status_code == 201
        assert response.json() == {"saved": True, "replayed": replayed, "location": detail}
    assert Contact.objects.filter(client=field_client, note="Coffee").count() == 1


def test_keys_of_other_users_do_not_collide(client, forms, field_client, field_program):
    url, data, _ = forms["quick_contact"]
    for username in ("one", "two"):
        client.force_login(f.make_user("specialist", program=field_program, username=username))
        assert client.post(url, {**data, "submission_key": "f" * 32}).status_code == 302
    assert Contact.objects.filter(client=field_client, note="Coffee").count() == 2


def test_old_keys_are_forgotten(field_specialist, time_machine):
    SubmissionKey.objects.create(user=field_specialist, key="old", path="/", status_code=302)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    SubmissionKey.objects.create(user=field_specialist, key="new", path="/", status_code=302)
    call_command("forget_submission_keys")
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_clean_up_runs_nightly(settings):
    from ips_site.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery finds core/tasks.py
    task = settings.CELERY_BEAT_SCHEDULE["core-forget-submission-keys"]["task"]
    assert task == "core.forget_submission_keys" and task in app.tasks
