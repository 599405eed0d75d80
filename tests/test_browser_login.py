"""Log in through a real Chromium at phone size."""

import pytest
from django.utils import timezone

from programs.models import Role

from . import factories as f
from .browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_logs_in_and_sees_its_programs_on_a_phone(live_server, phone_page):
    program = f.ProgramFactory(name="Harbor IPS Team")
    f.ProgramFactory(name="Elsewhere IPS Team")
    users = {
        "phone_specialist": f.make_user(Role.SPECIALIST, program=program, username="phone_specialist"),
        "phone_trainer": f.make_user(Role.TRAINER, region=program.agency.region, username="phone_trainer"),
    }
    for username in users:
        login(phone_page, live_server, username, f.PASSWORD)
        # The page's clock shows the server's pinned day (time-machine in this process, Playwright's clock).
        assert phone_page.evaluate("new Date().toLocaleDateString('en-CA')") == timezone.localdate().isoformat()
        assert "Log in" not in phone_page.title()
        assert phone_page.get_by_text("Log out").count() >= 1 or phone_page.locator(".navbar-toggler").is_visible()
        body = phone_page.content()
        assert "Harbor IPS Team" in body
        assert "Elsewhere IPS Team" not in body
        # No horizontal scrolling at 390 px.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone_page, f"home-{username}")
        phone_page.context.clear_cookies()


def test_wrong_password_shows_an_error_and_keeps_the_username(live_server, phone_page):
    f.make_user(Role.SPECIALIST, program=f.ProgramFactory(), username="phone_user")
    login(phone_page, live_server, "phone_user", "not-the-password")
    assert phone_page.locator(".alert-danger").is_visible()
    assert phone_page.input_value("input[name=username]") == "phone_user"
    screenshot(phone_page, "login-error")
