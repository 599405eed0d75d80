"""Persona x route matrix, GET: nobody reaches another program's records.

Every route of the feature apps is requested with its arguments pointing at real records of
program A (every record has the same primary key, so one number fills every `<int:...>`).
Staff of another program or region must never get a page for them, and no page they can open may
show program A's client names. Insiders get most of the same pages, which proves the arguments
point at real records (a matrix of 404s for missing rows would prove nothing).
"""

import pytest

from .routes import APPS, MARKER, PROGRAM_MARKER, RECORD_ARG, build_url, feature_routes

pytestmark = pytest.mark.django_db


def test_the_matrix_covers_every_feature_app():
    names = {name.split(":")[0] for name, _ in feature_routes()}
    assert names == {*APPS, "site"}
    assert len(feature_routes()) >= 50


def test_no_route_shows_another_programs_records(client, program_a, program_a_records, outsiders):
    leaks = []
    for user in outsiders:
        client.force_login(user)
        for name, route in feature_routes():
            response = client.get(build_url(route, program_a, name))
            addresses_a_record = bool(RECORD_ARG.search(route))
            body = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
            if (addresses_a_record and response.status_code == 200) or MARKER in body or PROGRAM_MARKER in body:
                leaks.append((user.username, name, response.status_code))
            assert response.status_code != 500, (user.username, name)
    assert leaks == []


def test_insiders_reach_the_same_routes(client, program_a, program_a_records, supervisor_a, specialist_a, trainer):
    """The control: the ids above are real, so program A's own staff get pages where outsiders got 404."""
    reached = set()
    routes = [(name, route) for name, route in feature_routes() if RECORD_ARG.search(route)]
    for user in (supervisor_a, specialist_a, trainer):
        client.force_login(user)
        for name, route in routes:
            if client.get(build_url(route, program_a, name)).status_code == 200:
                reached.add(name)
    for expected in [
        "clients:client_detail",
        "jobs:job_edit",
        "jobs:employer_detail",
        "fidelity:review",
        "programs:detail",
        "site:client_trail",
    ]:
        assert expected in reached
    assert len(reached) >= len(routes) * 0.6, sorted({n for n, _ in routes} - reached)


DASHBOARDS = ["reports:dashboard", "reports:drilldown", "reports:dashboard_export"]


def test_the_dashboards_open_for_their_own_supervisor_and_no_outsider(
    client, program_a, program_a_records, supervisor_a, outsiders
):
    """Built with the program's code, the dashboard, drill-down and export URLs really answer 200 to
    program A's supervisor (so the outsiders' refusals above are refusals, not malformed URLs)."""
    routes = [(name, route) for name, route in feature_routes() if name in DASHBOARDS]
    assert {name for name, _ in routes} == set(DASHBOARDS)
    client.force_login(supervisor_a)
    for name, route in routes:
        assert client.get(build_url(route, program_a, name)).status_code == 200, name
    for user in outsiders:
        client.force_login(user)
        for name, route in routes:
            assert client.get(build_url(route, program_a, name)).status_code == 404, (user.username, name)


def test_anonymous_users_are_sent_to_log_in(client, program_a, program_a_records):
    for name, route in feature_routes():
        response = client.get(build_url(route, program_a, name))
        if name.startswith("api:") and response.status_code != 302:
            assert response.status_code == 401, name  # the API answers 401 (Bearer), not a login page
            continue
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response.url.startswith("/login/"), name
