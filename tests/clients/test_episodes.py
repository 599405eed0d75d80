"""Referral, enrollment, closure and re-enrollment: each form valid and refused by its rules, with the
races the database decides."""

import datetime

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse

from audit.models import Action
from clients.models import Client, Enrollment

from .. import factories as f
from .support import ago, audited, iso, today

pytestmark = pytest.mark.django_db


def referral_data(program, **extra):
    data = {
        "program": program.pk,
        "referral_date": iso(ago(1)),
        "specialist": "",
        "first_name": "Tamsin",
        "last_name": "Orchard",
        "preferred_name": "",
        "record_number": "R-100",
        "date_of_birth": "1991-04-02",
        "phone": "",
        "diagnosis_group": "depression",
        "treatment_team": "",
        "education_level": "",
        "disclosure_preference": "undecided",
    }
    data.update(extra)
    return data


def test_referral_creates_client_and_pending_episode(logged_in, program_a, specialist_a):
    url = reverse("clients:referral_create")
    response = logged_in.post(url, referral_data(program_a, specialist=specialist_a.pk))
    new = Client.objects.get(record_number="R-100")
    assert response.status_code == 302 and response.url == reverse("clients:client_detail", args=[new.pk])
    episode = new.enrollments.get()
    assert (episode.referral_date, episode.enrollment_date, episode.specialist) == (ago(1), None, specialist_a)
    assert audited(Action.CREATE, new)


def test_referral_duplicate_record_number_is_a_field_error_and_keeps_input(logged_in, program_a, program_b):
    f.ClientFactory(program=program_a, record_number="R-100")
    f.ClientFactory(program=program_b, record_number="R-200")
    url = reverse("clients:referral_create")
    response = logged_in.post(url, referral_data(program_a))
    assert response.status_code == 200
    assert "record number" in str(response.context["form"].errors["record_number"])
    assert 'value="Tamsin"' in response.content.decode()
    # Another program's number does not clash; another program cannot be chosen.
    response = logged_in.post(url, referral_data(program_a, record_number="R-200", first_name="Ok"))
    assert response.status_code == 302
    response = logged_in.post(url, referral_data(program_b, record_number="R-300"))
    assert "program" in response.context["form"].errors
    future = referral_data(program_a, record_number="R-400", referral_date=iso(today() + datetime.timedelta(days=2)))
    assert "referral_date" in logged_in.post(url, future).context["form"].errors
    assert Client.objects.filter(program=program_a).count() == 2


def test_referral_race_on_the_record_number_is_a_field_error(logged_in, program_a, monkeypatch):
    """Both requests pass the check; the unique constraint decides and the loser gets a field error."""
    f.ClientFactory(program=program_a, record_number="R-100")
    exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda self: False if self.model is Client else exists(self))
    response = logged_in.post(reverse("clients:referral_create"), referral_data(program_a))
    assert response.status_code == 200
    assert "record number" in str(response.context["form"].errors["record_number"])
    assert Client.objects.filter(program=program_a).count() == 1


def test_enroll_sets_date_and_specialist(logged_in, program_a, specialist_a, specialist_b):
    c = f.EnrollmentFactory(client__program=program_a, referral_date=ago(10), enrollment_date=None).client
    episode = c.enrollments.get()
    url = reverse("clients:enroll", args=[c.pk, episode.pk])
    version = logged_in.get(url).context["form"].initial["version"]
    data = {"enrollment_date": iso(ago(11)), "specialist": specialist_a.pk, "employed_at_enrollment": "on"}
    data["version"] = version
    response = logged_in.post(url, data)
    assert "before the referral" in str(response.context["form"].errors)
    response = logged_in.post(url, {**data, "enrollment_date": iso(ago(2)), "specialist": specialist_b.pk})
    assert "specialist" in response.context["form"].errors  # not one of this program's specialists
    response = logged_in.post(url, {**data, "enrollment_date": iso(today() + datetime.timedelta(days=1))})
    assert "enrollment_date" in response.context["form"].errors
    response = logged_in.post(url, {**data, "enrollment_date": iso(ago(2))})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.enrollment_date, episode.specialist, episode.employed_at_enrollment) == (ago(2), specialist_a, True)
    assert audited(Action.UPDATE, episode)


def test_close_needs_a_reason_and_a_date_not_before_enrollment(logged_in, own_client):
    episode = own_client.enrollments.get()
    url = reverse("clients:close_enrollment", args=[own_client.pk, episode.pk])
    response = logged_in.post(url, {"closure_date": iso(ago(41)), "closure_reason": "", "closure_note": "Moving"})
    errors = response.context["form"].errors
    assert "closure_date" in errors and "closure_reason" in errors
    assert "Moving" in response.content.decode()
    version = logged_in.get(url).context["form"].initial["version"]
    data = {"closure_date": iso(ago(1)), "closure_reason": "moved", "closure_note": "Moving", "version": version}
    response = logged_in.post(url, data)
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (ago(1), "moved")
    assert audited(Action.UPDATE, episode)
    # A closed episode cannot be closed again.
    assert logged_in.get(url).status_code == 404


def test_reenroll_creates_a_new_episode_only_when_none_is_open(logged_in, own_client, specialist_a):
    url = reverse("clients:reenroll", args=[own_client.pk])
    data = {"referral_date": iso(ago(1)), "enrollment_date": iso(ago(0)), "specialist": specialist_a.pk}
    response = logged_in.post(url, data)
    assert "already has an open enrollment" in str(response.context["form"].non_field_errors())
    own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
    response = logged_in.post(url, {**data, "referral_date": iso(ago(6)), "enrollment_date": ""})
    assert "before the last one closed" in str(response.context["form"].errors["referral_date"])
    response = logged_in.post(url, data)
    assert response.status_code == 302
    assert own_client.enrollments.count() == 2
    episode = own_client.enrollments.filter(closure_date__isnull=True).get()
    assert episode.enrollment_date == today() and audited(Action.CREATE, episode)


def test_reenroll_race_on_the_one_open_episode_is_a_form_error(logged_in, own_client, specialist_a, monkeypatch):
    """The check passes in both requests; the database's unique constraint decides."""
    own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
    Enrollment.objects.create(client=own_client, referral_date=ago(1))  # the other request won
    exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda self: False if self.model is Enrollment else exists(self))
    response = logged_in.post(
        reverse("clients:reenroll", args=[own_client.pk]), {"referral_date": iso(ago(1)), "specialist": ""}
    )
    assert response.status_code == 200
    assert "already has an open enrollment" in str(response.context["form"].non_field_errors())
    assert own_client.enrollments.count() == 2
