"""Persona x route matrix, writes: POST to every route (htmx too), PUT/PATCH/DELETE to the API's,
with program A's ids in the URL, in form bodies and hidden fields, and in mixed URLs (program B's
own client with program A's child record). Staff of another program or region change nothing of
program A, and no request is a 500."""

import pytest

from audit.models import Action, AuditEvent

from .routes import INT_ARG, OWN, PK, RECORD_ARG, build_url, feature_routes, mixed_url, snapshot_of

pytestmark = pytest.mark.django_db

WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE)


def foreign_body(program, specialist):
    """A form naming program A's records in every field a form or hidden input could carry."""
    ids = str(PK)
    return {
        **dict.fromkeys(["client", "clients", "employer", "enrollment", "job", "plan", "step", "review"], ids),
        "program": str(program.pk),
        "target": f"program:{program.pk}",
        "specialist": str(specialist.pk),
        "employer_name": "Zyx New Employer",
        "contact_date": "2026-11-27",
        "referral_date": "2026-11-27",
        "first_name": "Injected",
        "last_name": "Person",
        "record_number": "INJ-1",
        "version": "1",
        "next": "/",
        "quarter": "2026Q1",
    }


def _assert_untouched(before, program_a):
    assert snapshot_of(program_a) == before
    assert not AuditEvent.objects.filter(action__in=WRITES, program_id=program_a.pk).exists()


def test_no_post_changes_another_programs_records(
    client, program_a, program_a_records, program_b_records, outsiders, specialist_a
):
    before = snapshot_of(program_a)
    body = foreign_body(program_a, specialist_a)
    accepted = []
    for user in outsiders:
        client.force_login(user)
        for name, route in feature_routes():
            url = build_url(route, program_a, name)
            headers = [{}, {"HTTP_HX_REQUEST": "true"}] if user is outsiders[0] else [{}]
            for extra in headers:
                response = client.post(url, body, **extra)
                assert response.status_code != 500, (user.username, name)
                if RECORD_ARG.search(route) and response.status_code in (200, 201, 204):
                    accepted.append((user.username, name, response.status_code))
    assert accepted == []
    _assert_untouched(before, program_a)


def test_api_writes_to_another_programs_records_are_refused(
    client, program_a, program_a_records, outsiders, specialist_a
):
    before = snapshot_of(program_a)
    body = foreign_body(program_a, specialist_a)
    api = [(name, route) for name, route in feature_routes() if name.startswith("api:")]
    for user in outsiders:
        client.force_login(user)
        for name, route in api:
            url = build_url(route, program_a, name)
            for method in ("put", "patch", "delete", "post"):
                response = getattr(client, method)(url, body, content_type="application/json")
                assert response.status_code != 500, (user.username, name, method)
                if RECORD_ARG.search(route):
                    assert response.status_code in (403, 404, 405), (user.username, name, method)
    _assert_untouched(before, program_a)


def test_own_parent_with_another_programs_child_is_a_404(
    client, program_a, program_a_records, program_b_records, outsiders, specialist_a
):
    """/clients/<own client>/enrollments/<program A's episode>/close/ and the like."""
    before = snapshot_of(program_a)
    specialist_b, supervisor_b = outsiders[0], outsiders[1]
    mixed = [(name, route) for name, route in feature_routes() if len(RECORD_ARG.findall(route)) >= 2]
    assert mixed, "no route takes a parent and a child id"
    for user in (specialist_b, supervisor_b):
        client.force_login(user)
        for name, route in mixed:
            url = mixed_url(route)
            assert client.get(url).status_code in (404, 405), (user.username, name, "GET")
            response = client.post(url, foreign_body(program_a, specialist_a))
            assert response.status_code in (404, 405), (user.username, name, "POST")
    # The control: with program B's own child the same routes are served to program B's specialist.
    client.force_login(specialist_b)
    served = [name for name, route in mixed if client.get(own_url(route)).status_code == 200]
    assert len(served) >= len(mixed) / 2, sorted({n for n, _ in mixed} - set(served))
    _assert_untouched(before, program_a)


def own_url(route):
    return "/" + INT_ARG.sub(str(OWN), route)
