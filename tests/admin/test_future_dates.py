"""The admin applies the models' plausibility rules (#12.5, #13.5): on 30 November, an enrollment dated
10 December or a job start dated 15 December entered through the admin is refused with a field error,
and so are a contact before the client's referral and an implausible wage."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from clients.models import Contact, Enrollment
from jobs.models import JobStart
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)  # the suite's pinned day (tests/conftest.py)


@pytest.fixture
def enrolled(program_a):
    client = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(
        client=client, referral_date=datetime.date(2026, 9, 1), enrollment_date=datetime.date(2026, 9, 8)
    )
    return client


@pytest.fixture
def admin_web(client, regional_admin):
    client.force_login(regional_admin)
    return client


def change(admin_web, form_data, url, **values):
    """Open the admin change page, change `values` and save: the response to the save."""
    page = admin_web.get(url)
    assert page.status_code == 200
    return admin_web.post(url, {**form_data(page), **values})


def errors_of(response, field):
    return response.context["adminform"].form.errors.get(field, [])


def test_the_pinned_day_is_30_november():
    assert timezone.localdate() == TODAY  # the dates below are "future" relative to it


def test_an_enrollment_dated_in_the_future_is_refused_by_the_field(admin_web, form_data, enrolled):
    episode = Enrollment.objects.get(client=enrolled)
    response = change(
        admin_web, form_data, f"/admin/clients/enrollment/{episode.pk}/change/", enrollment_date="2026-12-10"
    )
    assert response.status_code == 200
    assert any("cannot be in the future" in e for e in errors_of(response, "enrollment_date"))
    episode.refresh_from_db()
    assert episode.enrollment_date == datetime.date(2026, 9, 8)


def test_a_past_enrollment_date_still_saves(admin_web, form_data, enrolled):
    episode = Enrollment.objects.get(client=enrolled)
    response = change(
        admin_web, form_data, f"/admin/clients/enrollment/{episode.pk}/change/", enrollment_date="2026-09-10"
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.enrollment_date == datetime.date(2026, 9, 10)


def test_a_job_start_on_15_december_is_refused_by_the_field(admin_web, form_data, enrolled, program_a):
    job = f.JobStartFactory(
        client=enrolled, employer=f.EmployerFactory(program=program_a), start_date=datetime.date(2026, 10, 1)
    )
    response = change(admin_web, form_data, f"/admin/jobs/jobstart/{job.pk}/change/", start_date="2026-12-15")
    assert response.status_code == 200
    assert any("cannot be in the future" in e for e in errors_of(response, "start_date"))
    job.refresh_from_db()
    assert job.start_date == datetime.date(2026, 10, 1)


def test_a_wage_of_5000_is_refused_in_the_admin(admin_web, form_data, enrolled, program_a):
    job = f.JobStartFactory(
        client=enrolled, employer=f.EmployerFactory(program=program_a), start_date=datetime.date(2026, 10, 1)
    )
    response = change(admin_web, form_data, f"/admin/jobs/jobstart/{job.pk}/change/", hourly_wage="5000")
    assert response.status_code == 200
    assert errors_of(response, "hourly_wage")
    job.refresh_from_db()
    assert job.hourly_wage != Decimal("5000")


def test_a_contact_before_the_referral_is_refused_in_the_admin(admin_web, form_data, enrolled):
    contact = f.ContactFactory(client=enrolled, contact_date=datetime.date(2026, 11, 2))
    response = change(admin_web, form_data, f"/admin/clients/contact/{contact.pk}/change/", contact_date="1900-01-01")
    assert response.status_code == 200
    assert any("before the client's referral" in e for e in errors_of(response, "contact_date"))
    assert Contact.objects.get(pk=contact.pk).contact_date == datetime.date(2026, 11, 2)


def test_a_job_added_through_the_admin_in_the_future_is_not_saved(admin_web, enrolled, program_a):
    employer = f.EmployerFactory(program=program_a)
    data = {
        "client": enrolled.pk,
        "employer": employer.pk,
        "job_title": "Stocker",
        "start_date": "2026-12-15",
        "is_competitive": "on",
        "job_type": "permanent",
        "disclosure": "none",
        "supports-TOTAL_FORMS": "0",
        "supports-INITIAL_FORMS": "0",
        "supports-MIN_NUM_FORMS": "0",
        "supports-MAX_NUM_FORMS": "1000",
    }
    response = admin_web.post("/admin/jobs/jobstart/add/", data)
    assert response.status_code == 200
    assert any("cannot be in the future" in e for e in errors_of(response, "start_date"))
    assert not JobStart.objects.exists()
