"""Job start/edit/end, follow-along support, employers and employer contacts through the views."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart
from programs.models import Role

from . import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def client_a(program_a, specialist_a, today):
    client = f.ClientFactory(program=program_a, first_name="Orrin", last_name="Ashdown")
    f.EnrollmentFactory(
        client=client, referral_date=today - 90 * DAY, enrollment_date=today - 80 * DAY, specialist=specialist_a
    )
    return client


@pytest.fixture
def client_b(program_b, today):
    client = f.ClientFactory(program=program_b)
    f.EnrollmentFactory(client=client, referral_date=today - 90 * DAY, enrollment_date=today - 80 * DAY)
    return client


@pytest.fixture
def employer_a(program_a):
    return f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")


@pytest.fixture
def employer_b(program_b):
    return f.EmployerFactory(program=program_b, name="Elsewhere Hardware")


@pytest.fixture
def job_a(client_a, employer_a, today):
    return f.JobStartFactory(client=client_a, employer=employer_a, start_date=today - 30 * DAY)


@pytest.fixture
def job_b(client_b, employer_b, today):
    return f.JobStartFactory(client=client_b, employer=employer_b, start_date=today - 30 * DAY)


@pytest.fixture
def web(client, specialist_a):
    client.force_login(specialist_a)
    return client


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


def resolve(overrides, **placeholders):
    """Replace placeholder values of parametrized overrides (dates relative to today, other ids)."""
    return {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}


def messages_of(response):
    """The messages queued for the next page (without rendering the client's page)."""
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def client_detail_url(client):
    from jobs.views import client_url

    return client_url(client.pk)


# Login and access -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,arg",
    [
        ("job_start_create", "client"),
        ("job_edit", "job"),
        ("job_end", "job"),
        ("support_create", "job"),
        ("employer_list", None),
        ("employer_create", None),
        ("employer_detail", "employer"),
        ("employer_edit", "employer"),
        ("employer_contact_create", None),
        ("job_development", None),
    ],
)
def test_every_page_requires_login(client, name, arg, client_a, job_a, employer_a):
    obj = {"client": client_a, "job": job_a, "employer": employer_a}.get(arg)
    url = reverse(f"jobs:{name}", args=[obj.pk] if obj else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name,arg",
    [
        ("job_start_create", "client"),
        ("job_edit", "job"),
        ("job_end", "job"),
        ("support_create", "job"),
        ("employer_detail", "employer"),
        ("employer_edit", "employer"),
    ],
)
def test_another_programs_records_are_404(web, name, arg, client_b, job_b, employer_b):
    obj = {"client": client_b, "job": job_b, "employer": employer_b}[arg]
    url = reverse(f"jobs:{name}", args=[obj.pk])
    assert web.get(url).status_code == 404
    assert web.post(url, {}).status_code == 404


def test_contact_for_another_programs_client_is_404(web, client_b):
    url = reverse("jobs:employer_contact_create") + f"?client={client_b.pk}"
    assert web.get(url).status_code == 404


def test_trainer_cannot_record_jobs_or_open_job_development(client, trainer, client_a):
    client.force_login(trainer)
    assert client.get(reverse("jobs:job_start_create", args=[client_a.pk])).status_code == 404
    assert client.get(reverse("jobs:job_development")).status_code == 404
    assert client.get(reverse("jobs:employer_create")).status_code == 404


# Job start ------------------------------------------------------------------------------------


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
    assert response["Location"] == client_detail_url(client_a)
    job = JobStart.objects.get(client=client_a)
    assert job.employer == employer_a
    assert job.hours_per_week == Decimal("20")
    assert job.is_competitive and job.end_date is None
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="jobs.jobstart", object_id=str(job.pk)).exists()


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
    texts = messages_of(response)
    assert any("New employer added" in t for t in texts)


def test_job_start_warns_without_a_benefits_session_before_the_start(web, client_a, employer_a, today):
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
        ({"hourly_wage": "-1"}, "hourly_wage", "negative"),
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


# Job edit and end -----------------------------------------------------------------------------


def edit_data(job, **overrides):
    from core.locking import version_of

    data = {
        "employer": job.employer_id,
        "job_title": job.job_title,
        "occupation_group": job.occupation_group,
        "start_date": job.start_date.isoformat(),
        "hours_per_week": str(job.hours_per_week),
        "hourly_wage": str(job.hourly_wage),
        "is_competitive": "on",
        "job_type": job.job_type,
        "disclosure": job.disclosure,
        "version": version_of(job),
    }
    data.update(overrides)
    return data


def test_job_edit_saves(web, job_a):
    response = web.post(reverse("jobs:job_edit", args=[job_a.pk]), edit_data(job_a, hours_per_week="32"))
    assert response.status_code == 302
    job_a.refresh_from_db()
    assert job_a.hours_per_week == Decimal("32")
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(job_a.pk)).exists()


def test_job_edit_start_after_the_end_is_refused(web, job_a, today):
    job_a.end_date, job_a.end_type = today - 10 * DAY, "quit"
    job_a.save()
    response = web.post(
        reverse("jobs:job_edit", args=[job_a.pk]), edit_data(job_a, start_date=(today - 5 * DAY).isoformat())
    )
    assert response.status_code == 200
    assert field_errors(response, "start_date")
    assert f'value="{(today - 5 * DAY).isoformat()}"' in response.content.decode()


def test_job_edit_conflict_is_refused_and_shows_the_other_change(web, job_a, client, supervisor_a):
    url = reverse("jobs:job_edit", args=[job_a.pk])
    stale = edit_data(job_a, job_title="Head baker")
    # The supervisor saves first, from the same version.
    other = client.__class__()
    other.force_login(supervisor_a)
    assert other.post(url, edit_data(job_a, job_title="Pastry cook")).status_code == 302
    response = web.post(url, stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved" in html
    assert "Pastry cook" in html  # their value shown
    assert 'value="Head baker"' in html  # my input kept
    job_a.refresh_from_db()
    assert job_a.job_title == "Pastry cook"
    # Saving again (the form now carries the current version) is a deliberate overwrite.
    again = web.post(url, response.context["form"].data)
    assert again.status_code == 302
    job_a.refresh_from_db()
    assert job_a.job_title == "Head baker"


def end_data(job, **overrides):
    from core.locking import version_of

    data = {
        "end_date": timezone.localdate().isoformat(),
        "end_type": "quit",
        "end_reason": "Found the early shifts too hard",
        "lessons_learned": "Prefers afternoon hours",
        "next_step": "Look for afternoon work",
        "version": version_of(job),
    }
    data.update(overrides)
    return data


def test_job_end_saves_and_prompts_for_the_career_profile(web, job_a, today):
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a))
    job_a.refresh_from_db()
    assert job_a.end_date == today and job_a.end_type == "quit"
    assert job_a.lessons_learned == "Prefers afternoon hours"
    texts = messages_of(response)
    assert any("Update the career profile" in t for t in texts)


def test_job_end_before_start_keeps_the_input_and_shows_the_error_by_the_end_date(web, job_a):
    before = (job_a.start_date - DAY).isoformat()
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a, end_date=before))
    assert response.status_code == 200
    assert any("cannot end before it started" in e for e in field_errors(response, "end_date"))
    html = response.content.decode()
    assert f'value="{before}"' in html
    assert "Prefers afternoon hours" in html
    job_a.refresh_from_db()
    assert job_a.end_date is None and job_a.end_type == ""


@pytest.mark.parametrize(
    "overrides,field",
    [({"end_date": "FUTURE"}, "end_date"), ({"end_date": ""}, "end_date"), ({"end_type": ""}, "end_type")],
)
def test_invalid_job_end(web, job_a, today, overrides, field):
    overrides = resolve(overrides, FUTURE=(today + DAY).isoformat())
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a, **overrides))
    assert response.status_code == 200
    assert field_errors(response, field)
    assert "Found the early shifts too hard" in response.content.decode()
    job_a.refresh_from_db()
    assert job_a.end_date is None


def test_job_end_conflict(web, job_a):
    url = reverse("jobs:job_end", args=[job_a.pk])
    stale = end_data(job_a)
    JobStart.objects.get(pk=job_a.pk).save()  # someone else saves meanwhile
    response = web.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    job_a.refresh_from_db()
    assert job_a.end_date is None


# Follow-along support -------------------------------------------------------------------------


def test_support_is_recorded(web, job_a, specialist_a, today):
    data = {
        "support_date": today.isoformat(),
        "provider": "specialist",
        "staff": specialist_a.pk,
        "description": "Visited at the end of the shift",
        "minutes": "30",
    }
    response = web.post(reverse("jobs:support_create", args=[job_a.pk]), data)
    assert response.status_code == 302
    support = FollowAlongSupport.objects.get(job=job_a)
    assert support.staff == specialist_a and support.minutes == 30


def test_support_form_defaults_to_today_and_me(web, job_a, specialist_a, today):
    form = web.get(reverse("jobs:support_create", args=[job_a.pk])).context["form"]
    assert form.initial["support_date"] == today
    assert form.initial["staff"] == specialist_a.pk


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"support_date": "BEFORE_JOB"}, "support_date"),
        ({"support_date": "FUTURE"}, "support_date"),
        ({"description": ""}, "description"),
        ({"minutes": "1441"}, "minutes"),
        ({"staff": "OTHER_PROGRAM"}, "staff"),
    ],
)
def test_invalid_support(web, job_a, specialist_b, today, overrides, field):
    data = {
        "support_date": today.isoformat(),
        "provider": "specialist",
        "description": "Visited at the end of the shift",
        "minutes": "30",
    }
    overrides = resolve(
        overrides,
        BEFORE_JOB=(job_a.start_date - DAY).isoformat(),
        FUTURE=(today + DAY).isoformat(),
        OTHER_PROGRAM=specialist_b.pk,
    )
    data.update(overrides)
    response = web.post(reverse("jobs:support_create", args=[job_a.pk]), data)
    assert response.status_code == 200
    assert field_errors(response, field)
    assert not FollowAlongSupport.objects.exists()


# Employers ------------------------------------------------------------------------------------


def test_employer_search_finds_normalised_matches_only_in_my_program(web, employer_a, program_a, program_b):
    f.EmployerFactory(program=program_a, name="Harbor Lights Diner")
    f.EmployerFactory(program=program_b, name="Corner Bakery")
    response = web.get(reverse("jobs:employer_list"), {"q": "corner bakery"})
    names = [e.name for e in response.context["page"].object_list]
    assert names == ["The Corner Bakery, Inc."]
    assert response.context["exact"] == employer_a
    response = web.get(reverse("jobs:employer_list"), {"q": "Corner Bakery LLC"})
    assert [e.name for e in response.context["page"].object_list] == ["The Corner Bakery, Inc."]


def test_employer_search_htmx_returns_the_results_only(web, employer_a):
    response = web.get(reverse("jobs:employer_list"), {"q": "bak"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "The Corner Bakery, Inc." in html
    assert "<html" not in html
    assert f"{reverse('jobs:employer_create')}?name=bak" in html


def test_add_employer_is_prefilled_with_the_typed_name(web):
    response = web.get(reverse("jobs:employer_create"), {"name": "Maple Street Grocers"})
    assert 'value="Maple Street Grocers"' in response.content.decode()


def test_employer_create(web, program_a):
    response = web.post(reverse("jobs:employer_create"), {"name": "Maple Street Grocers", "industry": "Retail"})
    employer = Employer.objects.get(name="Maple Street Grocers")
    assert employer.program == program_a
    assert response["Location"] == reverse("jobs:employer_detail", args=[employer.pk])
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="jobs.employer").exists()


def test_duplicate_employer_is_a_field_error_pointing_at_the_existing_one(web, employer_a):
    response = web.post(reverse("jobs:employer_create"), {"name": "corner bakery", "industry": "Food"})
    assert response.status_code == 200
    errors = field_errors(response, "name")
    assert errors and "already exists" in errors[0]
    html = response.content.decode()
    assert reverse("jobs:employer_detail", args=[employer_a.pk]) in html
    assert 'value="Food"' in html
    assert Employer.objects.count() == 1


def test_duplicate_employer_race_is_caught_from_the_constraint(web, employer_a, monkeypatch):
    from jobs import forms, services

    # The form's and the service's first checks miss it (a concurrent insert in between);
    # the database constraint catches it and the user gets the same field error, not a 500.
    real = services.find_employer
    calls = []

    def misses_twice(*args, **kwargs):
        calls.append(args)
        return None if len(calls) <= 2 else real(*args, **kwargs)

    monkeypatch.setattr(services, "find_employer", misses_twice)
    monkeypatch.setattr(forms.services, "find_employer", misses_twice)
    response = web.post(reverse("jobs:employer_create"), {"name": "Corner Bakery"})
    assert response.status_code == 200
    assert "already exists" in field_errors(response, "name")[0]
    assert len(calls) == 3
    assert Employer.objects.count() == 1


def test_employer_edit_and_duplicate_rename(web, employer_a, program_a):
    from core.locking import version_of

    other = f.EmployerFactory(program=program_a, name="Harbor Lights Diner")
    url = reverse("jobs:employer_edit", args=[other.pk])
    response = web.post(url, {"name": "The Corner Bakery", "version": version_of(other)})
    assert response.status_code == 200
    assert "already exists" in field_errors(response, "name")[0]
    response = web.post(url, {"name": "Harbor Lights Cafe", "phone": "555-0100", "version": version_of(other)})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name == "Harbor Lights Cafe" and other.normalized_name == "harbor lights cafe"


def test_employer_edit_conflict(web, employer_a):
    from core.locking import version_of

    url = reverse("jobs:employer_edit", args=[employer_a.pk])
    version = version_of(employer_a)
    employer_a.phone = "555-0199"
    employer_a.save()
    response = web.post(url, {"name": employer_a.name, "phone": "555-0100", "version": version})
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    assert "555-0199" in response.content.decode()


def test_employer_detail_shows_client_names_only_with_view_clients(client, web, job_a, trainer):
    f.EmployerContactFactory(employer=job_a.employer, clients=[job_a.client], client_specific=True)
    url = reverse("jobs:employer_detail", args=[job_a.employer_id])
    html = web.get(url).content.decode()
    assert "Orrin Ashdown" in html
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="jobs.employer").exists()
    client.force_login(trainer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Orrin" not in html and "Ashdown" not in html
    assert response.context["summary"].jobs == 1


# Employer contacts ----------------------------------------------------------------------------


def contact_data(employer_obj, **overrides):
    data = {
        "contact_date": timezone.localdate().isoformat(),
        "employer": employer_obj.pk,
        "employer_name": "",
        "face_to_face": "on",
        "purpose": "introduction",
        "made_by": "specialist",
        "outcome": "Met the manager",
        "next_step": "Drop by next week",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_employer_contact_with_defaults(web, employer_a, specialist_a, today):
    form = web.get(reverse("jobs:employer_contact_create")).context["form"]
    assert form.initial["contact_date"] == today
    assert form.fields["face_to_face"].initial is True or form["face_to_face"].value() is True
    response = web.post(reverse("jobs:employer_contact_create"), contact_data(employer_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_development")
    contact = EmployerContact.objects.get()
    assert contact.specialist == specialist_a and contact.face_to_face
    assert not contact.client_specific


def test_employer_contact_for_a_client_is_prefilled_and_returns_to_the_client(web, employer_a, client_a):
    url = reverse("jobs:employer_contact_create") + f"?client={client_a.pk}"
    form = web.get(url).context["form"]
    assert form.initial["clients"] == [client_a.pk]
    response = web.post(url, contact_data(employer_a, clients=[client_a.pk], client_specific="on"))
    assert response.status_code == 302
    assert response["Location"] == client_detail_url(client_a)
    contact = EmployerContact.objects.get()
    assert contact.client_specific and list(contact.clients.all()) == [client_a]


def test_employer_contact_with_a_new_employer_name(web, program_a):
    response = web.post(
        reverse("jobs:employer_contact_create"), contact_data(Employer(pk=""), employer_name="Riverside Books")
    )
    assert response.status_code == 302
    assert EmployerContact.objects.get().employer.name == "Riverside Books"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"contact_date": "FUTURE"}, "contact_date"),
        ({"contact_date": ""}, "contact_date"),
        ({"employer": ""}, "employer"),
        ({"client_specific": "on"}, "clients"),
        ({"clients": "OTHER_PROGRAM"}, "clients"),
        ({"employer": "OTHER_PROGRAM"}, "employer"),
    ],
)
def test_invalid_employer_contact(web, employer_a, employer_b, client_b, today, overrides, field):
    other = [client_b.pk] if "clients" in overrides else employer_b.pk
    overrides = resolve(overrides, FUTURE=(today + DAY).isoformat(), OTHER_PROGRAM=other)
    response = web.post(reverse("jobs:employer_contact_create"), contact_data(employer_a, **overrides))
    assert response.status_code == 200
    assert field_errors(response, field), response.context["form"].errors
    assert "Drop by next week" in response.content.decode()
    assert not EmployerContact.objects.exists()


def test_employer_contact_next_must_be_local(web, employer_a):
    data = contact_data(employer_a, next="https://evil.example/")
    response = web.post(reverse("jobs:employer_contact_create"), data)
    assert response["Location"] == reverse("jobs:job_development")


# Job development ------------------------------------------------------------------------------


def test_job_development_shows_my_week_against_the_target(web, specialist_a, employer_a, today, program_a):
    monday = today - datetime.timedelta(days=today.weekday())
    for _ in range(2):
        f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=monday)
    f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=monday, face_to_face=False)
    colleague = f.make_user(Role.SPECIALIST, program=program_a)
    f.EmployerContactFactory(employer=employer_a, specialist=colleague, contact_date=monday)
    response = web.get(reverse("jobs:job_development"))
    assert response.status_code == 200
    this_week = response.context["this_week"]
    assert (this_week.face_to_face, this_week.total, this_week.target) == (2, 3, 6)
    assert len(response.context["weeks"]) == 9
    assert len(response.context["contacts"]) == 3
    html = response.content.decode()
    assert "4 more to reach the target" in html
    assert 'id="weekly-table"' in html


def test_job_development_target_comes_from_the_benchmark_settings(web):
    from benchmarks.models import BenchmarkSettings

    settings = BenchmarkSettings.current()
    settings.employer_contacts_per_week = 4
    settings.save()
    response = web.get(reverse("jobs:job_development"))
    assert response.context["target"] == 4
    assert "Target: 4 face-to-face" in response.content.decode()


def test_nav_shows_job_development_for_specialists_only(web, client, trainer):
    html = web.get(reverse("jobs:employer_list")).content.decode()
    assert reverse("jobs:job_development") in html
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert reverse("jobs:job_development") not in html


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


def test_employer_contact_from_the_employer_page_returns_there(web, employer_a):
    detail = reverse("jobs:employer_detail", args=[employer_a.pk])
    assert f"next={detail}" in web.get(detail).content.decode()
    response = web.post(
        reverse("jobs:employer_contact_create") + f"?employer={employer_a.pk}&next={detail}", contact_data(employer_a)
    )
    assert response["Location"] == detail


def test_an_administrator_of_several_programs_chooses_the_program(client, admin_user, program_a, program_b):
    client.force_login(admin_user)
    url = reverse("jobs:employer_create")
    response = client.post(url, {"name": "Riverside Books"})
    assert response.status_code == 200 and field_errors(response, "program")
    assert 'value="Riverside Books"' in response.content.decode()
    response = client.post(url, {"name": "Riverside Books", "program": program_b.pk})
    assert response.status_code == 302
    assert Employer.objects.get(name="Riverside Books").program == program_b


def test_client_level_form_pages_are_audited_without_client_names(web, job_a, client_a):
    web.get(reverse("jobs:support_create", args=[job_a.pk]))
    web.get(reverse("jobs:job_end", args=[job_a.pk]))
    web.get(reverse("jobs:employer_contact_create"), {"client": client_a.pk})
    events = AuditEvent.objects.filter(action=Action.VIEW)
    assert events.filter(object_type="jobs.jobstart", object_id=str(job_a.pk)).count() == 2
    assert events.filter(object_type="clients.client", object_id=str(client_a.pk)).exists()
    assert all(e.program_id == client_a.program_id for e in events)
    assert not any("Ashdown" in str(e.detail) or "Ashdown" in e.path for e in AuditEvent.objects.all())


def test_job_development_offers_my_recent_employers_first(web, specialist_a, employer_a, program_a, today):
    diner = f.EmployerFactory(program=program_a, name="Harbor Lights Diner")
    f.EmployerFactory(program=program_a, name="Never Visited Ltd")
    f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=today - 20 * DAY)
    f.EmployerContactFactory(employer=diner, specialist=specialist_a, contact_date=today - 2 * DAY)
    colleague = f.make_user(Role.SPECIALIST, program=program_a)
    f.EmployerContactFactory(employer=f.EmployerFactory(program=program_a, name="Colleague Co"), specialist=colleague)
    response = web.get(reverse("jobs:job_development"))
    assert [e.name for e in response.context["recent"]] == ["Harbor Lights Diner", "The Corner Bakery, Inc."]
    assert f'data-pick-employer="{diner.pk}"' in response.content.decode()
