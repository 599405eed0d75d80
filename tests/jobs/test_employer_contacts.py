"""Logging an employer contact: today, face to face and by me by default; for a client (back to their
record) or from the employer's page (back there); a typed new employer; each refusal by its field."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from jobs.models import Employer, EmployerContact

from .support import DAY, field_errors, resolve

pytestmark = pytest.mark.django_db


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
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(contact.pk), user=specialist_a).exists()


def test_employer_contact_for_a_client_is_prefilled_and_returns_to_the_client(web, employer_a, client_a):
    url = reverse("jobs:employer_contact_create") + f"?client={client_a.pk}"
    form = web.get(url).context["form"]
    assert form.initial["clients"] == [client_a.pk]
    response = web.post(url, contact_data(employer_a, clients=[client_a.pk], client_specific="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:client_detail", args=[client_a.pk])
    contact = EmployerContact.objects.get()
    assert contact.client_specific and list(contact.clients.all()) == [client_a]


def test_employer_contact_with_a_new_employer_name(web, program_a):
    response = web.post(
        reverse("jobs:employer_contact_create"), contact_data(Employer(pk=""), employer_name="Riverside Books")
    )
    assert response.status_code == 302
    employer = EmployerContact.objects.get().employer
    assert employer.name == "Riverside Books" and employer.program == program_a
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="jobs.employer").exists()


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


def test_employer_contact_from_the_employer_page_returns_there(web, employer_a):
    detail = reverse("jobs:employer_detail", args=[employer_a.pk])
    assert f"next={detail}" in web.get(detail).content.decode()
    response = web.post(
        reverse("jobs:employer_contact_create") + f"?employer={employer_a.pk}&next={detail}", contact_data(employer_a)
    )
    assert response["Location"] == detail


def test_client_level_form_pages_are_audited_without_client_names(web, job_a, client_a):
    web.get(reverse("jobs:support_create", args=[job_a.pk]))
    web.get(reverse("jobs:job_end", args=[job_a.pk]))
    web.get(reverse("jobs:employer_contact_create"), {"client": client_a.pk})
    events = AuditEvent.objects.filter(action=Action.VIEW)
    assert events.filter(object_type="jobs.jobstart", object_id=str(job_a.pk)).count() == 2
    assert events.filter(object_type="clients.client", object_id=str(client_a.pk)).exists()
    assert all(e.program_id == client_a.program_id for e in events)
    assert not any("Ashdown" in str(e.detail) or "Ashdown" in e.path for e in AuditEvent.objects.all())
