"""Correcting what was logged: edit and delete employer contacts and follow-along supports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import Action, AuditEvent
from core.locking import EditConflict, version_of
from jobs import services
from jobs.models import EmployerContact, FollowAlongSupport
from programs.models import Role

from . import factories as f
from .browser import browser, login, phone_page, screenshot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def enrolled_client(program, today, **names):
    client = f.ClientFactory(program=program, **names)
    f.EnrollmentFactory(client=client, referral_date=today - 90 * DAY, enrollment_date=today - 80 * DAY)
    return client


@pytest.fixture
def client_a(program_a, today):
    return enrolled_client(program_a, today, first_name="Orrin", last_name="Ashdown")


@pytest.fixture
def employer_a(program_a):
    return f.EmployerFactory(program=program_a, name="Harbor Lights Cafe")


@pytest.fixture
def contact_a(employer_a, specialist_a, client_a, today):
    return f.EmployerContactFactory(
        employer=employer_a,
        specialist=specialist_a,
        contact_date=today - 2 * DAY,
        clients=[client_a],
        client_specific=True,
        purpose="client_specific",
        contact_person="Wren Halvorsen",
    )


@pytest.fixture
def contact_b(program_b, today):
    employer = f.EmployerFactory(program=program_b, name="Elsewhere Hardware")
    return f.EmployerContactFactory(employer=employer, contact_date=today - DAY)


@pytest.fixture
def job_a(client_a, employer_a, today):
    return f.JobStartFactory(client=client_a, employer=employer_a, start_date=today - 30 * DAY)


@pytest.fixture
def support_a(job_a, specialist_a, today):
    return f.FollowAlongSupportFactory(
        job=job_a, support_date=today - 5 * DAY, staff=specialist_a, description="Met the shift lead", minutes=30
    )


@pytest.fixture
def support_b(program_b, today):
    client = enrolled_client(program_b, today)
    job = f.JobStartFactory(client=client, start_date=today - 30 * DAY)
    return f.FollowAlongSupportFactory(job=job, support_date=today - 3 * DAY)


@pytest.fixture
def web(client, specialist_a):
    client.force_login(specialist_a)
    return client


def contact_data(contact, **overrides):
    data = {
        "contact_date": contact.contact_date.isoformat(),
        "employer": str(contact.employer_id),
        "employer_name": "",
        "face_to_face": "on" if contact.face_to_face else "",
        "purpose": contact.purpose,
        "contact_person": contact.contact_person,
        "client_specific": "on" if contact.client_specific else "",
        "clients": [str(pk) for pk in contact.clients.values_list("pk", flat=True)],
        "made_by": contact.made_by,
        "outcome": contact.outcome,
        "next_step": contact.next_step,
        "version": version_of(contact),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def support_data(support, **overrides):
    data = {
        "support_date": support.support_date.isoformat(),
        "provider": support.provider,
        "staff": str(support.staff_id or ""),
        "description": support.description,
        "minutes": str(support.minutes or ""),
        "version": version_of(support),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def edit_url(contact):
    return reverse("jobs:employer_contact_edit", args=[contact.pk])


def support_url(support):
    return reverse("jobs:support_edit", args=[support.pk])


# Employer contact: edit ------------------------------------------------------------------------


def test_edit_page_shows_the_saved_values(web, contact_a):
    response = web.get(edit_url(contact_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Edit employer contact" in page
    assert 'value="Wren Halvorsen"' in page
    assert f'name="version" value="{version_of(contact_a)}"' in page
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(contact_a.pk)).exists()


def test_edit_saves_every_field_and_goes_back_to_next(web, contact_a, program_a, today):
    other_employer = f.EmployerFactory(program=program_a, name="Quayside Books")
    other_client = enrolled_client(program_a, today, first_name="Bexley", last_name="Tamsin")
    data = contact_data(
        contact_a,
        contact_date=(today - 4 * DAY).isoformat(),
        employer=str(other_employer.pk),
        face_to_face="",
        purpose="job_opening",
        contact_person="Ivo Marchetti",
        clients=[str(other_client.pk)],
        made_by="both",
        outcome="Two openings in spring",
        next_step="Call back Monday",
        next="/jobs/development/",
    )
    response = web.post(edit_url(contact_a), data)
    assert response.status_code == 302
    assert response.url == "/jobs/development/"
    contact_a.refresh_from_db()
    assert contact_a.contact_date == today - 4 * DAY
    assert contact_a.employer == other_employer
    assert contact_a.face_to_face is False
    assert contact_a.purpose == "job_opening"
    assert contact_a.contact_person == "Ivo Marchetti"
    assert list(contact_a.clients.all()) == [other_client]
    assert contact_a.made_by == "both"
    assert (contact_a.outcome, contact_a.next_step) == ("Two openings in spring", "Call back Monday")
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(contact_a.pk)).exists()


def test_edit_without_next_goes_to_the_clients_record(web, contact_a, client_a):
    response = web.post(edit_url(contact_a), contact_data(contact_a, outcome="Asked for a CV"))
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])


def test_unsafe_next_is_ignored(web, contact_a, client_a):
    response = web.post(edit_url(contact_a), contact_data(contact_a, next="https://evil.example/"))
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])


def test_edit_with_a_new_employer_name_creates_it_in_the_contacts_program(web, contact_a, program_a):
    data = contact_data(contact_a, employer="", employer_name="Tidewater Garage")
    assert web.post(edit_url(contact_a), data).status_code == 302
    contact_a.refresh_from_db()
    assert contact_a.employer.name == "Tidewater Garage"
    assert contact_a.employer.program == program_a


def test_invalid_edit_keeps_the_input_and_shows_the_error_by_the_field(web, contact_a, today):
    future = (today + 3 * DAY).isoformat()
    response = web.post(edit_url(contact_a), contact_data(contact_a, contact_date=future, outcome="Kept text"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "contact_date" in form.errors
    assert "cannot be in the future" in form.errors["contact_date"][0]
    page = response.content.decode()
    assert f'value="{future}"' in page
    assert "Kept text" in page
    contact_a.refresh_from_db()
    assert contact_a.contact_date == today - 2 * DAY
    assert contact_a.outcome == ""


def test_edit_refuses_clients_of_another_program(web, contact_a, program_b, today):
    outsider = enrolled_client(program_b, today)
    response = web.post(edit_url(contact_a), contact_data(contact_a, clients=[str(outsider.pk)]))
    assert response.status_code == 200
    assert "clients" in response.context["form"].errors
    assert list(contact_a.clients.all()) != [outsider]


def test_edit_conflict_refuses_the_second_save_and_shows_the_other_change(
    web, client, contact_a, supervisor_a, specialist_a
):
    opened = contact_data(contact_a)  # both open the form at the same version
    client.force_login(supervisor_a)
    assert client.post(edit_url(contact_a), {**opened, "contact_person": "Supervisor's fix"}).status_code == 302
    client.force_login(specialist_a)
    response = client.post(edit_url(contact_a), {**opened, "contact_person": "Specialist's fix"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.conflict_changes
    labels = {label: (theirs, mine) for label, theirs, mine in form.conflict_changes}
    assert labels["Contact person"] == ("Supervisor's fix", "Specialist's fix")
    page = response.content.decode()
    assert "What the other person saved" in page
    assert "Supervisor&#x27;s fix" in page
    contact_a.refresh_from_db()
    assert contact_a.contact_person == "Supervisor's fix"
    # Saving again from the re-rendered form (which now carries the current version) is deliberate.
    again = {**opened, "contact_person": "Specialist's fix", "version": version_of(contact_a)}
    assert client.post(edit_url(contact_a), again).status_code == 302
    contact_a.refresh_from_db()
    assert contact_a.contact_person == "Specialist's fix"


def test_conflict_on_clients_is_shown_by_name(web, client, contact_a, supervisor_a, program_a, today):
    other = enrolled_client(program_a, today, first_name="Caspian", last_name="Rook")
    opened = contact_data(contact_a)
    client.force_login(supervisor_a)
    client.post(edit_url(contact_a), {**opened, "clients": [str(other.pk)]})
    response = web.post(edit_url(contact_a), opened)
    labels = {label: theirs for label, theirs, _ in response.context["form"].conflict_changes}
    assert "Rook" in labels["Clients discussed"]


def test_service_refuses_a_stale_version(contact_a, today):
    stale = version_of(contact_a)
    services.update_employer_contact(
        contact_a, employer=contact_a.employer, contact_date=today - DAY, version=stale, outcome="First"
    )
    with pytest.raises(EditConflict):
        services.update_employer_contact(
            contact_a, employer=contact_a.employer, contact_date=today - DAY, version=stale, outcome="Second"
        )
    contact_a.refresh_from_db()
    assert contact_a.outcome == "First"


def test_another_programs_contact_is_a_404(web, contact_b):
    assert web.get(edit_url(contact_b)).status_code == 404
    assert web.post(edit_url(contact_b), contact_data(contact_b, outcome="x")).status_code == 404
    assert web.get(reverse("jobs:employer_contact_delete", args=[contact_b.pk])).status_code == 404
    assert web.post(reverse("jobs:employer_contact_delete", args=[contact_b.pk])).status_code == 404
    assert EmployerContact.objects.filter(pk=contact_b.pk, outcome="").exists()


def test_trainers_get_a_404(client, trainer, contact_a, support_a):
    client.force_login(trainer)
    for name, pk in [
        ("jobs:employer_contact_edit", contact_a.pk),
        ("jobs:employer_contact_delete", contact_a.pk),
        ("jobs:support_edit", support_a.pk),
        ("jobs:support_delete", support_a.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("jobs:employer_contact_delete", args=[contact_a.pk])).status_code == 404
    assert EmployerContact.objects.filter(pk=contact_a.pk).exists()


def test_login_required(client, contact_a, support_a):
    for name, pk in [
        ("jobs:employer_contact_edit", contact_a.pk),
        ("jobs:employer_contact_delete", contact_a.pk),
        ("jobs:support_edit", support_a.pk),
        ("jobs:support_delete", support_a.pk),
    ]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_edit_page_queries_are_bounded(
    web, contact_a, program_a, employer_a, specialist_a, today, django_assert_max_num_queries
):
    clients = [enrolled_client(program_a, today) for _ in range(25)]
    for n in range(25):
        f.EmployerFactory(program=program_a, name=f"Employer number {n}")
    contact_a.clients.set(clients)
    for _ in range(10):
        f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, clients=clients[:5])
    with django_assert_max_num_queries(12):
        response = web.get(edit_url(contact_a))
    assert response.status_code == 200
    assert response.content.decode().count("selected>") >= 25


# Employer contact: delete ----------------------------------------------------------------------


def test_delete_asks_first_then_deletes_and_audits(web, contact_a, program_a):
    url = reverse("jobs:employer_contact_delete", args=[contact_a.pk])
    response = web.get(url)
    assert response.status_code == 200
    assert "Delete this record?" in response.content.decode()
    assert EmployerContact.objects.filter(pk=contact_a.pk).exists()
    pk = contact_a.pk
    response = web.post(url, {"next": "/jobs/development/"})
    assert response.status_code == 302
    assert response.url == "/jobs/development/"
    assert not EmployerContact.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="jobs.employercontact")
    assert event.object_id == str(pk)
    assert event.program_id == program_a.pk


def test_edit_links_on_job_development_and_employer_detail(web, contact_a, employer_a):
    link = edit_url(contact_a)
    assert link in web.get(reverse("jobs:job_development")).content.decode()
    assert link in web.get(reverse("jobs:employer_detail", args=[employer_a.pk])).content.decode()


def test_no_edit_link_for_trainers_on_employer_detail(client, trainer, contact_a, employer_a):
    client.force_login(trainer)
    response = client.get(reverse("jobs:employer_detail", args=[employer_a.pk]))
    assert response.status_code == 200
    assert edit_url(contact_a) not in response.content.decode()


# Follow-along support --------------------------------------------------------------------------


def test_support_edit_saves_and_goes_back_to_the_client(web, support_a, client_a, today):
    assert web.get(support_url(support_a)).status_code == 200
    data = support_data(support_a, support_date=(today - 4 * DAY).isoformat(), provider="family", minutes="45")
    response = web.post(support_url(support_a), {**data, "description": "Family drove to the first shift"})
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])
    support_a.refresh_from_db()
    assert (support_a.support_date, support_a.provider, support_a.minutes) == (today - 4 * DAY, "family", 45)
    assert support_a.description == "Family drove to the first shift"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="jobs.followalongsupport").exists()


def test_support_edit_invalid_keeps_the_input(web, support_a, job_a):
    before = (job_a.start_date - DAY).isoformat()
    response = web.post(support_url(support_a), support_data(support_a, support_date=before, minutes="2000"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "support_date" in form.errors and "minutes" in form.errors
    assert f'value="{before}"' in response.content.decode()
    support_a.refresh_from_db()
    assert support_a.minutes == 30


def test_support_edit_conflict(web, client, support_a, supervisor_a, specialist_a):
    opened = support_data(support_a)
    client.force_login(supervisor_a)
    assert client.post(support_url(support_a), {**opened, "description": "Theirs"}).status_code == 302
    client.force_login(specialist_a)
    response = client.post(support_url(support_a), {**opened, "description": "Mine"})
    assert response.status_code == 200
    changes = {label: (theirs, mine) for label, theirs, mine in response.context["form"].conflict_changes}
    assert changes["What support"] == ("Theirs", "Mine")
    support_a.refresh_from_db()
    assert support_a.description == "Theirs"


def test_support_of_another_program_is_a_404(web, support_b):
    assert web.get(support_url(support_b)).status_code == 404
    assert web.post(reverse("jobs:support_delete", args=[support_b.pk])).status_code == 404
    assert FollowAlongSupport.objects.filter(pk=support_b.pk).exists()


def test_support_delete_confirms_deletes_and_audits(web, support_a, program_a, client_a):
    url = reverse("jobs:support_delete", args=[support_a.pk])
    assert "Delete this record?" in web.get(url).content.decode()
    pk = support_a.pk
    response = web.post(url)
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])
    assert not FollowAlongSupport.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="jobs.followalongsupport")
    assert (event.object_id, event.program_id) == (str(pk), program_a.pk)


def test_client_record_links_to_support_edit(web, support_a, client_a):
    page = web.get(reverse("clients:client_detail", args=[client_a.pk])).content.decode()
    assert support_url(support_a) in page


def test_supervisor_of_the_program_may_correct(client, supervisor_a, support_a):
    client.force_login(supervisor_a)
    assert client.get(support_url(support_a)).status_code == 200


def test_specialist_of_another_program_role(client, program_b, support_a):
    client.force_login(f.make_user(Role.SPECIALIST, program=program_b))
    assert client.get(support_url(support_a)).status_code == 404


# Phone -----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_correct_then_delete_a_contact_on_a_phone(live_server, phone_page, specialist_a, contact_a):  # noqa: F811
    page = phone_page
    login(page, live_server, specialist_a.username, f.PASSWORD)
    page.goto(f"{live_server.url}{reverse('jobs:job_development')}")
    screenshot(page, "jobs-development-edit-link")
    page.locator("#week-contacts .jobs-edit").first.click()
    page.wait_for_load_state("networkidle")
    page.fill("input[name=contact_person]", "Ivo Marchetti")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "jobs-contact-edit")
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("jobs:job_development"))
    expect(page.get_by_text("Employer contact saved")).to_be_visible()
    contact_a.refresh_from_db()
    assert contact_a.contact_person == "Ivo Marchetti"
    page.locator("#week-contacts .jobs-edit").first.click()
    page.get_by_role("link", name="Delete this contact").click()
    screenshot(page, "jobs-contact-delete")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("jobs:job_development"))
    assert not EmployerContact.objects.filter(pk=contact_a.pk).exists()
