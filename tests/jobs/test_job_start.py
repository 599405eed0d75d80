"""Recording a job start: an existing or a typed employer (matched by normalised name), the warnings
that follow, each refusal by its field with the input kept."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from jobs.models import Employer, JobStart

from .. import factories as f
from .support import DAY, field_errors, messages_of, resolve

pytestmark = pytest.mark.django_db


def job_data(**overrides):
    data = {
        "employer": "",
        "employer_name": "",
        "job_title": "Baker's assistant",
        "occupation_group": "35",
        "start_date": (timezone.localdate() - 3 * DAY).isoformat(),
        "hours_per_week": "20",
        "hourly_wage": "16.25",
        "is_competitive": "on",
        "job_type": "permanent",
        "disclosure": "none",
    }
    data.update(overrides)
    return data


def test_job_start_form_offers_only_the_programs_employers(web, client_a, employer_a, employer_b):
    response = web.get(reverse("jobs:job_start_create", args=[client_a.pk]))
    assert response.status_code == 200
    employers = list(response.context["form"].fields["employer"].queryset)
    assert employers == [employer_a]
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(client_a.pk)).exists()


def test_job_start_with_an_existing_employer(web, client_a, employer_a):
    url = reverse("jobs:job_start_create", args=[client_a.pk])
    response = web.post(url, job_data(employer=employer_a.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:client_detail", args=[client_a.pk])
    job = JobStart.objects.get(client=client_a)
    assert job.employer == employer_a
    assert job.hours_per_week == Decimal("20")
    assert job.is_competitive and job.end_date is None
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="jobs.jobstart", object_id=str(job.pk))
    assert event.path == url  # audited by the service, with the request's path


def test_job_start_with_a_typed_name_reuses_the_employer_by_normalised_name(web, client_a, employer_a):
    url = reverse("jobs:job_start_create", args=[client_a.pk])
    response = web.post(url, job_data(employer_name="corner bakery"))
    assert response.status_code == 302
    assert JobStart.objects.get(client=client_a).employer == employer_a
    assert Employer.objects.filter(program=client_a.program).count() == 1


def test_job_start_with_a_new_employer_creates_it(web, client_a):
    url = reverse("jobs:job_start_create", args=[client_a.pk])
    response = web.post(url, job_data(employer_name="Maple Street Grocers"))
    job = JobStart.objects.get(client=client_a)
    assert job.employer.name == "Maple Street Grocers"
    assert job.employer.program == client_a.program
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(job.employer_id)).exists()
    texts = messages_of(response)
    assert any("New employer added" in t for t in texts)


def test_job_start_warns_without_a_benefits_session_before_the_start(web, client_a, employer_a):
    url = reverse("jobs:job_start_create", args=[client_a.pk])
    response = web.post(url, job_data(employer=employer_a.pk))
    texts = messages_of(response)
    assert any("No benefits-counseling session" in t for t in texts)
    assert any("career profile" in t for t in texts)


def test_job_start_has_no_warning_with_a_benefits_session_before(web, client_a, employer_a, today):
    f.BenefitsCounselingSessionFactory(client=client_a, session_date=today - 10 * DAY)
    url = reverse("jobs:job_start_create", args=[client_a.pk])
    assert "No benefits-counseling session" not in web.get(url).content.decode()
    response = web.post(url, job_data(employer=employer_a.pk))
    texts = messages_of(response)
    assert not any("No benefits-counseling session" in t for t in texts)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"start_date": "FUTURE"}, "start_date", "cannot be in the future"),
        ({"start_date": "BEFORE_REFERRAL"}, "start_date", "before the referral"),
        ({"hours_per_week": "0"}, "hours_per_week", "more than 0"),
        ({"hours_per_week": "81"}, "hours_per_week", "at most 80"),
        ({"hourly_wage": "-1"}, "hourly_wage", "more than 0"),
        ({"hourly_wage": "0"}, "hourly_wage", "more than 0"),
        ({"job_title": ""}, "job_title", "required"),
        ({"occupation_group": ""}, "occupation_group", "required"),
        ({"employer": ""}, "employer", "Choose an employer"),
    ],
)
def test_invalid_job_start_keeps_the_input_and_shows_the_error_by_the_field(
    web, client_a, employer_a, today, overrides, field, message
):
    overrides = resolve(overrides, FUTURE=(today + DAY).isoformat(), BEFORE_REFERRAL=(today - 91 * DAY).isoformat())
    data = job_data(employer=employer_a.pk)
    data.update(overrides)
    response = web.post(reverse("jobs:job_start_create", args=[client_a.pk]), data)
    assert response.status_code == 200
    assert any(message in e for e in field_errors(response, field)), response.context["form"].errors
    html = response.content.decode()
    assert 'value="Baker&#x27;s assistant"' in html or field == "job_title"
    assert not JobStart.objects.exists()


def test_job_start_without_an_open_enrollment_is_refused(web, program_a):
    client = f.ClientFactory(program=program_a)
    url = reverse("jobs:job_start_create", args=[client.pk])
    response = web.get(url)
    assert response.status_code == 409
    assert "no open enrollment" in response.content.decode()
    assert web.post(url, job_data(employer_name="X")).status_code == 409
    assert not JobStart.objects.exists()


def test_job_start_cannot_use_another_programs_employer(web, client_a, employer_b):
    response = web.post(reverse("jobs:job_start_create", args=[client_a.pk]), job_data(employer=employer_b.pk))
    assert response.status_code == 200
    assert field_errors(response, "employer")
    assert not JobStart.objects.exists()


def test_job_start_before_the_enrollment_date_is_saved_with_a_warning(web, client_a, employer_a, today):
    start = (today - 85 * DAY).isoformat()  # after the referral, before the enrollment
    response = web.post(
        reverse("jobs:job_start_create", args=[client_a.pk]), job_data(employer=employer_a.pk, start_date=start)
    )
    assert response.status_code == 302
    assert any("before the enrollment date" in t for t in messages_of(response))
    assert JobStart.objects.get(client=client_a).start_date.isoformat() == start


def test_new_employer_hint_shows_the_known_employer_it_matches(web, employer_a, program_a, employer_b, client_a):
    url = reverse("jobs:employer_list")
    hint = {"hint": "1", "program": program_a.pk}
    html = web.get(url, {**hint, "employer_name": "corner bakery"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Known employer" in html and "The Corner Bakery, Inc." in html
    html = web.get(url, {**hint, "employer_name": "Corner"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Similar known employers" in html
    html = web.get(url, {**hint, "employer_name": "Elsewhere Hardware"}, HTTP_HX_REQUEST="true").content.decode()
    assert "New employer" in html  # another program's employer is not matched
    assert "Similar" not in html and "Known employer" not in html
    form_html = web.get(reverse("jobs:job_start_create", args=[client_a.pk])).content
    assert b'id="employer-hint"' in form_html and b"hx-get" in form_html
