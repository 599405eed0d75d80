"""The unread count appears in the navigation (loaded by htmx after the page) and the list marks read."""

import pytest

from notifications.models import Kind, Notification
from programs.models import Role
from tests import factories as f
from tests.browser import login, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_badge_shows_unread_and_mark_all_read_clears_it(live_server, browser):
    user = f.make_user(Role.SPECIALIST, program=f.ProgramFactory(), username="badge_spec")
    for key in ("one", "two"):
        Notification.objects.create(user=user, key=key, kind=Kind.DAILY_DIGEST, title=f"Digest {key}", link="/clients/")
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, live_server, "badge_spec", f.PASSWORD)
        nav = page.locator("#main-nav a[href='/notifications/']")
        nav.locator(".badge").wait_for()
        assert nav.inner_text().split() == ["Notifications", "2", "unread"]
        nav.click()
        page.get_by_role("button", name="Mark all read").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#main-nav a[href='/notifications/'] .badge").count() == 0
        assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    finally:
        context.close()
