"""Who reaches the jobs pages: login required everywhere, another program's records are a 404 (and stay
unchanged), trainers neither record jobs nor open job development, a teammate of the program may."""

import pytest
from django.urls import reverse

from jobs.models import EmployerContact, FollowAlongSupport

pytestmark = pytest.mark.django_db

RECORD_PAGES = [
    ("job_start_create", "client"),
    ("job_edit", "job"),
    ("job_end", "job"),
    ("support_create", "job"),
    ("support_edit", "support"),
    ("support_delete", "support"),
    ("employer_detail", "employer"),
    ("employer_edit", "employer"),
    ("employer_contact_edit", "contact"),
    ("employer_contact_delete", "contact"),
]
PAGES = [*RECORD_PAGES, ("employer_list", None), ("employer_create", None), ("employer_contact_create", None)]


def url_of(name, arg, records):
    obj = records.get(arg)
    return reverse(f"jobs:{name}", args=[obj.pk] if obj else [])


@pytest.fixture
def records_a(client_a, job_a, employer_a, contact_a, support_a):
    return {"client": client_a, "job": job_a, "employer": employer_a, "contact": contact_a, "support": support_a}


@pytest.fixture
def records_b(client_b, job_b, employer_b, contact_b, support_b):
    return {"client": client_b, "job": job_b, "employer": employer_b, "contact": contact_b, "support": support_b}


@pytest.mark.parametrize("name,arg", [*PAGES, ("job_development", None)])
def test_every_page_requires_login(client, name, arg, records_a):
    response = client.get(url_of(name, arg, records_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name,arg", RECORD_PAGES)
def test_another_programs_records_are_404(web, name, arg, records_b):
    url = url_of(name, arg, records_b)
    assert web.get(url).status_code == 404
    assert web.post(url, {}).status_code == 404
    assert EmployerContact.objects.filter(pk=records_b["contact"].pk, outcome="").exists()
    assert FollowAlongSupport.objects.filter(pk=records_b["support"].pk).exists()


@pytest.mark.parametrize("name,arg", RECORD_PAGES)
def test_a_teammate_and_the_supervisor_of_the_program_reach_every_page(
    client, teammate, supervisor_a, name, arg, records_a
):
    for user in (teammate, supervisor_a):
        client.force_login(user)
        assert client.get(url_of(name, arg, records_a)).status_code == 200, user


def test_contact_for_another_programs_client_is_404(web, client_b):
    url = reverse("jobs:employer_contact_create") + f"?client={client_b.pk}"
    assert web.get(url).status_code == 404


# Trainers see an employer's figures without client names (tests/jobs/test_employers.py), nothing else.
TRAINER_404 = [page for page in RECORD_PAGES if page[0] != "employer_detail"]


@pytest.mark.parametrize("name,arg", [*TRAINER_404, ("job_development", None), ("employer_create", None)])
def test_trainers_record_nothing_and_correct_nothing(client, trainer, name, arg, records_a):
    client.force_login(trainer)
    url = url_of(name, arg, records_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert EmployerContact.objects.filter(pk=records_a["contact"].pk).exists()
