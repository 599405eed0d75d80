"""Employers: search first (by normalised name, only the user's programs), add without duplicates (also
in a race), edit under the optimistic lock, and the employer page (client names only for client staff)."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from core.locking import version_of
from jobs import forms, services
from jobs.models import Employer

from .. import factories as f
from .support import field_errors

pytestmark = pytest.mark.django_db


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
    other = f.EmployerFactory(program=program_a, name="Harbor Lights Diner")
    url = reverse("jobs:employer_edit", args=[other.pk])
    response = web.post(url, {"name": "The Corner Bakery", "version": version_of(other)})
    assert response.status_code == 200
    assert "already exists" in field_errors(response, "name")[0]
    response = web.post(url, {"name": "Harbor Lights Cafe", "phone": "555-0100", "version": version_of(other)})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name == "Harbor Lights Cafe" and other.normalized_name == "harbor lights cafe"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(other.pk)).exists()


def test_employer_edit_conflict(web, employer_a):
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


def test_an_administrator_of_several_programs_chooses_the_program(client, admin_user, program_a, program_b):
    client.force_login(admin_user)
    url = reverse("jobs:employer_create")
    response = client.post(url, {"name": "Riverside Books"})
    assert response.status_code == 200 and field_errors(response, "program")
    assert 'value="Riverside Books"' in response.content.decode()
    response = client.post(url, {"name": "Riverside Books", "program": program_b.pk})
    assert response.status_code == 302
    assert Employer.objects.get(name="Riverside Books").program == program_b


def test_nav_shows_job_development_for_specialists_only(web, client, trainer):
    html = web.get(reverse("jobs:employer_list")).content.decode()
    assert reverse("jobs:job_development") in html
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert reverse("jobs:job_development") not in html
