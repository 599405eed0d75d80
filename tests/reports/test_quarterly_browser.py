"""A supervisor generates a quarterly report from a phone and watches it finish (htmx polling)."""

import pytest

from programs.models import Role
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services

from .. import factories as f
from ..browser import login, screenshot
from ..quarterly_data import YEAR, Q, build_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def program():
    program = f.ProgramFactory(name="Harbor IPS Team")
    build_program(program)
    f.make_user(Role.SUPERVISOR, program=program, username="phone_supervisor")
    return program


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_supervisor_generates_a_report_on_a_phone(live_server, phone_page, program):
    login(phone_page, live_server, "phone_supervisor", f.PASSWORD)
    phone_page.goto(f"{live_server.url}/reports/quarterly/")
    phone_page.select_option("select[name=target]", f"program:{program.pk}")
    phone_page.select_option("select[name=quarter]", f"{YEAR}Q{Q}")
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "quarterly-list-phone")
    phone_page.get_by_role("button", name="Generate report").click()
    phone_page.wait_for_load_state("networkidle")
    # Embedded mode: generated in process, so the report opens at once.
    assert phone_page.get_by_role("heading", name="Benchmark comparison").is_visible()
    assert phone_page.locator(".comparison-row").count() == 5
    assert phone_page.locator("svg.trend-chart rect.bar").count() == 4
    assert no_horizontal_scroll(phone_page)
    for name in ("PDF", "XLSX", "CSV"):
        box = phone_page.get_by_role("link", name=name, exact=True).bounding_box()
        assert box["height"] >= 44
    screenshot(phone_page, "quarterly-report-phone")
    assert QuarterlyReport.objects.get().status == ReportStatus.DONE


def test_a_queued_report_opens_by_itself_when_done(live_server, phone_page, program):
    # As a request the broker could not take: queued, not dispatched.
    report = QuarterlyReport.objects.create(program=program, year=YEAR, quarter=Q)
    login(phone_page, live_server, "phone_supervisor", f.PASSWORD)
    phone_page.goto(f"{live_server.url}/reports/quarterly/{report.pk}/")
    assert phone_page.locator("#report-status").get_by_text("Queued").first.is_visible()
    screenshot(phone_page, "quarterly-queued-phone")
    services.run_report(report.pk)  # what the worker does
    # htmx polls every 2 s and opens the finished report.
    phone_page.get_by_role("heading", name="Benchmark comparison").wait_for(timeout=15_000)
    assert phone_page.locator("#report-status").count() == 0
