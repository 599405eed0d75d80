"""Plausible jobs (#13.5): an hourly wage within configurable hard bounds (benchmarks.BenchmarkSettings),
a confirm step for an unusual one, the database's own range; job and support dates neither in the future
nor before the client's referral, in the model that the services, forms and admin share."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from core.errors import RuleViolation
from core.locking import version_of
from jobs import services
from jobs.models import JobStart

from .support import DAY, field_errors

pytestmark = pytest.mark.django_db

# Defaults: refused below $1.00 or above $200.00; confirmed below $7.25 or above $75.00.


def job_data(**overrides):
    data = {
        "employer": "",
        "employer_name": "Harbour Café",
        "job_title": "Barista",
        "occupation_group": "35",
        "start_date": (timezone.localdate() - 3 * DAY).isoformat(),
        "hours_per_week": "20",
        "hourly_wage": "16.25",
        "is_competitive": "on",
        "job_type": "permanent",
        "disclosure": "none",
    }
    return {**data, **overrides}


def start_url(client):
    return reverse("jobs:job_start_create", args=[client.pk])


def test_a_wage_of_5000_an_hour_is_refused_by_the_field(web, client_a):
    response = web.post(start_url(client_a), job_data(hourly_wage="5000"))
    assert response.status_code == 200
    assert any("above $200.00" in e for e in field_errors(response, "hourly_wage"))
    assert not JobStart.objects.exists()


def test_an_unusual_wage_asks_for_confirmation_then_saves(web, client_a):
    response = web.post(start_url(client_a), job_data(hourly_wage="120"))
    assert response.status_code == 200
    assert any("unusual" in e for e in field_errors(response, "hourly_wage"))
    page = response.content.decode()
    assert 'type="checkbox" name="wage_confirmed"' in page
    assert 'value="120"' in page  # the input is kept
    assert not JobStart.objects.exists()
    response = web.post(start_url(client_a), job_data(hourly_wage="120", wage_confirmed="on"))
    assert response.status_code == 302
    assert JobStart.objects.get().hourly_wage == Decimal("120")


def test_a_usual_wage_needs_no_confirmation(web, client_a):
    page = web.get(start_url(client_a)).content.decode()
    assert 'type="hidden" name="wage_confirmed"' in page
    assert web.post(start_url(client_a), job_data(hourly_wage="16.25")).status_code == 302


def test_the_service_applies_the_same_bounds(client_a, specialist_a, employer_a, today):
    fields = {"job_title": "Cook", "start_date": today - 2 * DAY, "employer": employer_a}
    with pytest.raises(RuleViolation) as refused:
        services.record_job_start(client_a, user=specialist_a, hourly_wage=Decimal("5000"), **fields)
    assert "hourly_wage" in refused.value.message_dict
    with pytest.raises(services.UnusualWage):
        services.record_job_start(client_a, user=specialist_a, hourly_wage=Decimal("3.10"), **fields)
    job, _ = services.record_job_start(
        client_a, user=specialist_a, hourly_wage=Decimal("3.10"), wage_confirmed=True, **fields
    )
    assert job.hourly_wage == Decimal("3.10")


def test_the_bounds_are_configurable(client_a, specialist_a, employer_a, today):
    settings = BenchmarkSettings.current()
    settings.wage_unusual_high, settings.wage_max = Decimal("40.00"), Decimal("50.00")
    settings.save()
    fields = {"job_title": "Cook", "start_date": today - 2 * DAY, "employer": employer_a, "wage_confirmed": True}
    with pytest.raises(RuleViolation):
        services.record_job_start(client_a, user=specialist_a, hourly_wage=Decimal("60"), **fields)
    assert services.record_job_start(client_a, user=specialist_a, hourly_wage=Decimal("45"), **fields)[0].pk


def test_bounds_out_of_order_are_refused_by_the_database():
    settings = BenchmarkSettings.current()
    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkSettings.objects.filter(pk=settings.pk).update(wage_unusual_low=Decimal("80"))


def test_the_database_refuses_a_zero_or_huge_wage(job_a):
    for wage in (Decimal("0"), Decimal("1000.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            JobStart.objects.filter(pk=job_a.pk).update(hourly_wage=wage)


def test_the_model_refuses_a_wage_outside_the_hard_bounds(job_a):
    job_a.hourly_wage = Decimal("250")
    with pytest.raises(ValidationError) as refused:
        job_a.full_clean()
    assert "hourly_wage" in refused.value.message_dict


def test_an_edit_keeping_an_unusual_wage_needs_no_new_confirmation(job_a, specialist_a):
    JobStart.objects.filter(pk=job_a.pk).update(hourly_wage=Decimal("90"))
    job_a.refresh_from_db()
    assert services.update_job(job_a, user=specialist_a, job_title="Head baker").job_title == "Head baker"
    with pytest.raises(RuleViolation):
        services.update_job(job_a, user=specialist_a, hourly_wage=Decimal("95"))


# --- Dates -----------------------------------------------------------------------------------------


def test_a_job_start_before_the_referral_or_in_the_future_is_refused_by_the_model(job_a, today):
    # client_a (conftest) was referred 90 days ago.
    job_a.start_date = today - 91 * DAY
    with pytest.raises(ValidationError) as refused:
        job_a.full_clean()
    assert "before the client's referral" in " ".join(refused.value.message_dict["start_date"])
    job_a.start_date = today + 15 * DAY
    with pytest.raises(ValidationError) as refused:
        job_a.full_clean()
    assert "cannot be in the future" in " ".join(refused.value.message_dict["start_date"])


def test_a_job_end_in_the_future_is_refused(job_a, specialist_a, today):
    with pytest.raises(RuleViolation):
        services.end_job(job_a, user=specialist_a, end_date=today + DAY, end_type="quit")
    job_a.refresh_from_db()
    assert job_a.end_date is None


def test_a_support_before_the_referral_is_refused_by_the_model(support_a, today):
    support_a.support_date = today - 100 * DAY
    with pytest.raises(ValidationError) as refused:
        support_a.full_clean()
    assert "before the client's referral" in " ".join(refused.value.message_dict["support_date"])


def test_an_end_reason_over_5000_characters_is_refused(job_a, specialist_a, today):
    with pytest.raises(RuleViolation) as refused:
        services.end_job(job_a, user=specialist_a, end_date=today, end_type="quit", end_reason="r" * 5001)
    assert "end_reason" in refused.value.message_dict


def test_a_job_edit_to_a_future_start_shows_the_refusal_once_by_the_field(web, job_a, today):
    page = web.get(reverse("jobs:job_edit", args=[job_a.pk]))
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(start_date=(today + 15 * DAY).isoformat(), version=version_of(job_a))
    response = web.post(reverse("jobs:job_edit", args=[job_a.pk]), data)
    assert response.status_code == 200
    errors = field_errors(response, "start_date")
    assert len([e for e in errors if "cannot be in the future" in e]) == 1
