"""The paged whole-program caseload passes axe (WCAG 2.2 AA) at desktop and phone widths, with its
pagination nav named and the current page marked."""

import pytest

from .. import factories as f
from ..a11y.test_axe import DESKTOP, axe_violations
from ..browser import PHONE, login, new_context
from ..clients.support import ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_middle_page_of_the_program_caseload_passes_axe(live_server, browser, program_a, supervisor_a, settings):
    settings.CASELOAD_PAGE_SIZE = 3
    for letter in "ABCDEFGHIJ":
        f.EnrollmentFactory(client__program=program_a, client__last_name=f"{letter}name", enrollment_date=ago(40))
    for viewport in (DESKTOP, PHONE):
        context = new_context(browser, viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, live_server, supervisor_a.username, f.PASSWORD)
        page.goto(live_server.url + "/clients/?scope=program&sort=alerts&page=2")
        page.wait_for_load_state("networkidle")
        nav = page.get_by_role("navigation", name="Caseload pages")
        assert nav.locator('[aria-current="page"]').inner_text() == "2"
        assert "sort=alerts" in nav.get_by_role("link", name="Next").get_attribute("href")
        assert axe_violations(page) == []
        context.close()
