"""The navigation search: scoped, audited, POST only."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from programs.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/search/"


def _search(client, user, q, *, htmx=True):
    client.force_login(user)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(URL, {"q": q}, headers=headers)


def test_url_has_no_query_part():
    assert reverse("search") == URL


def test_a_colleagues_client_is_found_but_never_another_programs(
    client, specialist_a, colleagues_client, other_programs_client
):
    response = _search(client, specialist_a, "rosalind")
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("clients:client_detail", args=[colleagues_client.pk]) in body
    assert reverse("clients:client_detail", args=[other_programs_client.pk]) not in body
    assert "B-7731" not in body


@pytest.mark.parametrize("q", ["Okafor", "rosa oka", "A-7731", "a-77", "555 010 2233", "0102233"])
def test_found_by_name_record_number_or_phone(client, specialist_a, colleagues_client, q):
    body = _search(client, specialist_a, q).content.decode()
    assert reverse("clients:client_detail", args=[colleagues_client.pk]) in body


def test_other_programs_specialist_does_not_find_it(client, specialist_b, colleagues_client):
    body = _search(client, specialist_b, "Okafor").content.decode()
    assert reverse("clients:client_detail", args=[colleagues_client.pk]) not in body
    assert "No client or employer in your programs matches" in body


def test_employers_by_name_scoped(client, specialist_a, program_a, program_b):
    mine = f.EmployerFactory(program=program_a, name="Harbor Bakery")
    theirs = f.EmployerFactory(program=program_b, name="Harbor Bakery Two")
    body = _search(client, specialist_a, "harbor bak").content.decode()
    assert reverse("jobs:employer_detail", args=[mine.pk]) in body
    assert reverse("jobs:employer_detail", args=[theirs.pk]) not in body


def test_one_audit_entry_per_search_listing_the_clients_shown(
    client, specialist_a, colleagues_client, other_programs_client
):
    other = f.ClientFactory(program=colleagues_client.program, first_name="Rosalind", last_name="Abbot")
    client.force_login(specialist_a)
    before = AuditEvent.objects.count()
    client.post(URL, {"q": "Rosalind"}, headers={"HX-Request": "true"})
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.user == specialist_a
    assert event.detail["page"] == "search"
    assert sorted(event.detail["clients"]) == sorted([colleagues_client.pk, other.pk])
    # The typed name is not kept in the trail either.
    assert "Rosalind" not in str(event.detail) and "Rosalind" not in event.path


def test_get_is_405_so_names_never_travel_in_urls(client, specialist_a, colleagues_client):
    client.force_login(specialist_a)
    before = AuditEvent.objects.count()
    assert client.get(URL, {"q": "Okafor"}).status_code == 405
    assert AuditEvent.objects.count() == before


def test_trainer_has_no_client_search(client, trainer, colleagues_client):
    client.force_login(trainer)
    assert client.post(URL, {"q": "Okafor"}).status_code == 404


def test_without_javascript_a_full_results_page(client, specialist_a, colleagues_client):
    response = _search(client, specialist_a, "Okafor", htmx=False)
    body = response.content.decode()
    assert "<html" in body and "Find a client or employer" in body
    assert reverse("clients:client_detail", args=[colleagues_client.pk]) in body


def test_short_or_odd_input_never_fails(client, specialist_a):
    for q in ["", "a", " " * 5, "%", "_" * 200, "\x00x", "'; drop table"]:
        assert _search(client, specialist_a, q).status_code == 200


def test_nav_box_posts_with_htmx_for_program_staff_only(client, specialist_a, trainer):
    client.force_login(specialist_a)
    body = client.get("/", follow=True).content.decode()
    assert 'hx-post="/search/"' in body and 'method="post" action="/search/"' in body
    client.force_login(trainer)
    assert 'hx-post="/search/"' not in client.get("/", follow=True).content.decode()


def test_supervisor_finds_across_program(client, program_a, colleagues_client):
    supervisor = f.make_user(Role.SUPERVISOR, program=program_a, username="sv")
    body = _search(client, supervisor, "okafor").content.decode()
    assert reverse("clients:client_detail", args=[colleagues_client.pk]) in body


def test_clearing_the_box_closes_the_results(client, specialist_a):
    response = _search(client, specialist_a, "   ")
    assert response.status_code == 200 and response.content == b""
    assert "at least two letters" in _search(client, specialist_a, "o").content.decode()
