"""Prints for clients in a real Chromium: from the client record to the printable plan and its PDF."""

import subprocess

import pytest

from .. import factories as f
from ..browser import login, new_context, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_prints_the_plan_from_the_client_record(live_server, browser, plan_client, tmp_path):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, live_server, "spec_a", f.PASSWORD)
        page.goto(f"{live_server.url}/clients/{plan_client.pk}/")
        page.get_by_role("link", name="Print the plan for Marlo").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Marlo's employment plan"
        steps = page.locator("table.print-steps tbody tr")
        assert steps.count() == 3
        assert "Visit two bakeries on Main Street" in steps.nth(0).inner_text()
        assert "Your employment specialist, Dana Okafor" in steps.nth(1).inner_text()
        screenshot(page, "client-print-plan")
        # On paper only the document shows: the navigation and the buttons are hidden.
        page.emulate_media(media="print")
        assert not page.locator("nav.navbar").is_visible()
        assert not page.get_by_role("link", name="Download the PDF").is_visible()
        page.emulate_media(media="screen")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        path = tmp_path / "plan.pdf"
        download.value.save_as(path)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
        text = " ".join(text.split())
        assert "Visit two bakeries on Main Street" in text
        assert "Ask the bakery owners about openings" in text
        assert "Meet the benefits planner about earnings" in text
    finally:
        context.close()
