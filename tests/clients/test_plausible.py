"""Plausible data (#13.5, #12.5): dates neither in the future nor before the client's first referral,
notes of at most 5,000 characters, in the model (so services, forms, admin and API share the rule) and,
where it can be expressed, in the database."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clients import services
from clients.models import Contact, Enrollment
from clients.plausible import NOTE_MAX_LENGTH
from core.errors import RuleViolation

from .. import factories as f
from .support import ago, iso

pytestmark = pytest.mark.django_db

# own_client (conftest): referred 45 days ago, enrolled 40 days ago.


def field_messages(exc, field):
    return " ".join(exc.value.message_dict.get(field, []))


def test_a_contact_dated_1900_is_refused_by_the_service(own_client, specialist_a):
    with pytest.raises(RuleViolation) as refused:
        services.log_contact(own_client, user=specialist_a, contact_date=datetime.date(1900, 1, 1))
    assert "before the client's referral" in field_messages(refused, "contact_date")
    assert not Contact.objects.exists()


def test_a_contact_on_the_referral_day_is_accepted_and_the_day_before_is_not(own_client, specialist_a):
    assert services.log_contact(own_client, user=specialist_a, contact_date=ago(45)).pk
    with pytest.raises(RuleViolation):
        services.log_contact(own_client, user=specialist_a, contact_date=ago(46))


def test_the_first_referral_counts_for_a_re_enrolled_client(own_client, specialist_a):
    # A second, later episode: contacts of the first episode's time are still plausible.
    Enrollment.objects.filter(client=own_client).update(closure_date=ago(20), closure_reason="moved")
    f.EnrollmentFactory(client=own_client, referral_date=ago(10), enrollment_date=ago(9))
    assert services.log_contact(own_client, user=specialist_a, contact_date=ago(30)).pk


def test_the_model_refuses_a_future_contact_whoever_saves_it(own_client):
    contact = Contact(client=own_client, contact_date=ago(-1), mode="phone")
    with pytest.raises(ValidationError) as refused:
        contact.full_clean()
    assert "cannot be in the future" in field_messages(refused, "contact_date")


def test_a_correction_to_before_the_referral_is_refused(own_client, specialist_a):
    contact = services.log_contact(own_client, user=specialist_a, contact_date=ago(2))
    with pytest.raises(RuleViolation):
        services.update_contact(contact, user=specialist_a, contact_date=ago(100))
    contact.refresh_from_db()
    assert contact.contact_date == ago(2)


def test_an_enrollment_in_the_future_is_refused_by_the_model_and_the_service(own_client, specialist_a):
    episode = Enrollment.objects.get(client=own_client)
    episode.enrollment_date = ago(-10)
    with pytest.raises(ValidationError) as refused:
        episode.full_clean()
    assert "cannot be in the future" in field_messages(refused, "enrollment_date")
    with pytest.raises(RuleViolation):
        services.close_enrollment(
            Enrollment.objects.get(client=own_client), user=specialist_a, closure_date=ago(-1), closure_reason="moved"
        )


def test_a_benefits_session_before_the_referral_is_refused(own_client, specialist_a):
    with pytest.raises(RuleViolation) as refused:
        services.add_benefits_session(own_client, user=specialist_a, session_date=ago(60), counselor_name="Ada")
    assert "before the client's referral" in field_messages(refused, "session_date")
    assert services.add_benefits_session(own_client, user=specialist_a, session_date=ago(5), counselor_name="Ada").pk


def test_a_plan_step_done_before_the_referral_is_refused(own_client, specialist_a):
    plan = f.EmploymentPlanFactory(client=own_client, start_date=ago(30))
    step = f.PlanStepFactory(plan=plan)
    with pytest.raises(RuleViolation):
        services.complete_step(step, user=specialist_a, on=ago(50))
    step.refresh_from_db()
    assert step.completed_on is None
    assert services.complete_step(step, user=specialist_a, on=ago(1)).completed_on == ago(1)


# --- Notes -----------------------------------------------------------------------------------------


def test_a_100000_character_note_is_refused_and_5000_accepted(own_client, specialist_a):
    with pytest.raises(RuleViolation) as refused:
        services.log_contact(own_client, user=specialist_a, note="x" * 100_000)
    assert "5000" in field_messages(refused, "note")
    assert len(services.log_contact(own_client, user=specialist_a, note="y" * NOTE_MAX_LENGTH).note) == 5000


def test_the_database_refuses_a_note_over_the_limit(own_client):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(client=own_client, contact_date=ago(1), mode="phone", note="z" * 5001)


def test_the_contact_form_keeps_a_long_note_and_shows_the_error_by_the_field(logged_in, own_client):
    url = reverse("clients:contact_create", args=[own_client.pk])
    data = {"contact_date": iso(ago(1)), "with_whom": "client", "mode": "phone", "place": "community"}
    response = logged_in.post(url, {**data, "note": "n" * 5001})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert not Contact.objects.exists()


def test_the_note_field_carries_its_limit_and_the_counter_script(logged_in, own_client):
    page = logged_in.get(reverse("clients:contact_create", args=[own_client.pk])).content.decode()
    assert 'maxlength="5000"' in page
    assert "At most 5,000 characters." in page
    assert "js/clients.js" in page
    script = (Path(settings.BASE_DIR) / "static/js/clients.js").read_text()
    assert "textarea[maxlength]" in script and "note-counter" in script


def test_the_form_shows_a_referral_refusal_by_the_date_field(logged_in, own_client):
    url = reverse("clients:contact_create", args=[own_client.pk])
    data = {"contact_date": "1900-01-01", "with_whom": "client", "mode": "phone", "place": "community"}
    response = logged_in.post(url, data)
    assert response.status_code == 200
    assert "before the client's referral" in " ".join(response.context["form"].errors["contact_date"])
