"""Typing a name in the navigation box shows the client, and the name never reaches the URL or history."""

import pytest

from programs.models import Role
from tests import factories as f
from tests.browser import login, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_name_shows_a_colleagues_client_without_the_name_in_the_url(live_server, browser):
    program = f.ProgramFactory(name="Harbor IPS Team")
    f.make_user(Role.SPECIALIST, program=program, username="typing_specialist")
    colleague = f.make_user(Role.SPECIALIST, program=program, username="covering_colleague")
    client = f.ClientFactory(program=program, first_name="Marisol", last_name="Quennell")
    f.EnrollmentFactory(client=client, specialist=colleague)
    f.ClientFactory(program=f.ProgramFactory(name="Elsewhere"), first_name="Marisol", last_name="Quenby")

    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    try:
        login(page, live_server, "typing_specialist", f.PASSWORD)
        start_url = page.url
        page.fill("#nav-search-q", "Quenn")
        result = page.locator("#nav-search-results a", has_text="Quennell, Marisol")
        result.wait_for()
        assert page.locator("#nav-search-results", has_text="Quenby").count() == 0
        assert page.url == start_url and "Quenn" not in page.url
        assert not any("Quenn" in url for _, url in requests)
        assert ("POST", f"{live_server.url}/search/") in requests
        result.click()
        page.wait_for_url(f"**/clients/{client.pk}/")
        page.go_back()
        assert "Quenn" not in page.url
    finally:
        context.close()
