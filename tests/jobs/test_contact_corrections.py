"""Correcting what was logged: edit or delete an employer contact (audited, optimistic locking), with the
input kept and the other person's change shown when two people correct it at once."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from core.locking import version_of
from jobs.models import EmployerContact

from .. import factories as f
from .support import DAY, contact_data, enrolled_client

pytestmark = pytest.mark.django_db


def edit_url(contact):
    return reverse("jobs:employer_contact_edit", args=[contact.pk])


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


def test_edit_refuses_clients_of_another_program(web, contact_a, client_b):
    response = web.post(edit_url(contact_a), contact_data(contact_a, clients=[str(client_b.pk)]))
    assert response.status_code == 200
    assert "clients" in response.context["form"].errors
    assert list(contact_a.clients.all()) != [client_b]


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


def test_delete_asks_first_then_deletes_and_audits(web, contact_a, program_a):
    url = reverse("jobs:employer_contact_delete", args=[contact_a.pk])
    response = web.get(url)
    assert response.status_code == 200
    assert "Delete this record?" in response.content.decode()
    assert EmployerContact.objects.filter(pk=contact_a.pk).exists()
    pk = contact_a.pk
    response = web.post(url, {"next": "/jobs/development/", "reason": "Logged twice"})
    assert response.status_code == 302
    assert response.url == "/jobs/development/"
    assert not EmployerContact.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="jobs.employercontact")
    assert event.object_id == str(pk)
    assert event.program_id == program_a.pk


def test_edit_link_on_the_employer_page_for_staff_not_trainers(web, client, trainer, contact_a, employer_a):
    detail = reverse("jobs:employer_detail", args=[employer_a.pk])
    assert edit_url(contact_a) in web.get(detail).content.decode()
    client.force_login(trainer)
    response = client.get(detail)
    assert response.status_code == 200
    assert edit_url(contact_a) not in response.content.decode()
