"""My caseload and the client record in a real Chromium at 390x844: the quick contact log in <= 3 taps."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Contact
from programs.models import Role

from .. import factories as f
from ..browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build_caseload():
    today = timezone.localdate()
    program = f.ProgramFactory(name="Harbor IPS Team")
    specialist = f.make_user(Role.SPECIALIST, program=program, username="phone_spec", first_name="Dana")
    team = f.TreatmentTeamFactory(program=program, name="North ACT team")
    clients = []
    for i, (first, last) in enumerate([("Avery", "Brookfield"), ("Jordan", "Castellano"), ("Rowan", "Delacroix")]):
        client = f.ClientFactory(program=program, first_name=first, last_name=last, treatment_team=team)
        f.EnrollmentFactory(
            client=client, enrollment_date=today - datetime.timedelta(days=60 + i), specialist=specialist
        )
        f.ContactFactory(client=client, staff=specialist, contact_date=today - datetime.timedelta(days=20 - 9 * i))
        clients.append(client)
    working = clients[1]
    f.JobStartFactory(
        client=working, job_title="Line cook", employer__name="Harbor Grill", start_date=today - datetime.timedelta(10)
    )
    plan = f.EmploymentPlanFactory(client=clients[2], goal="Work in a library", start_date=today)
    f.PlanStepFactory(plan=plan, description="Visit the central library with Dana", target_date=today)
    f.CareerProfileFactory(client=clients[0])
    return specialist, clients


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_specialist_logs_a_contact_from_the_caseload_in_two_taps(live_server, phone_page):
    specialist, clients = build_caseload()
    target = clients[0]
    login(phone_page, live_server, "phone_spec", f.PASSWORD)
    # Lands on My caseload.
    assert phone_page.url.endswith("/clients/")
    assert phone_page.locator("h1").inner_text() == "My caseload"
    row = phone_page.locator(f"#client-row-{target.pk}")
    assert "20 days ago" in row.inner_text()
    assert "No recent contact" in row.inner_text()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "caseload")

    taps = 0
    row.get_by_text("Log contact").click()
    taps += 1
    screenshot(phone_page, "caseload-quick-log")
    with phone_page.expect_response(lambda r: "/contacts/quick/" in r.url):
        row.get_by_role("button", name="Save contact").click()
        taps += 1
    assert taps <= 3
    row = phone_page.locator(f"#client-row-{target.pk}")
    row.get_by_text("Contact saved").wait_for()
    assert "today" in row.inner_text()
    assert "No recent contact" not in row.inner_text()
    assert Contact.objects.filter(client=target, staff=specialist, contact_date=timezone.localdate()).count() == 1
    assert no_horizontal_scroll(phone_page)

    # The contact is on the client's timeline.
    row.get_by_role("link", name=target.display_name).click()
    phone_page.wait_for_load_state("networkidle")
    first_item = phone_page.locator(".timeline-item").first
    assert "Contact with client" in first_item.inner_text()
    assert timezone.localdate().strftime("%b") in first_item.inner_text()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "client-record")


def test_contact_logged_on_the_client_record_appears_on_the_timeline_without_reload(live_server, phone_page):
    specialist, clients = build_caseload()
    target = clients[2]
    login(phone_page, live_server, "phone_spec", f.PASSWORD)
    phone_page.goto(f"{live_server.url}/clients/{target.pk}/")
    phone_page.evaluate("window.__marker = 'same page'")
    before = phone_page.locator(".timeline-item").count()
    phone_page.locator("#quick-contact summary").click()
    phone_page.fill("#qc_note", "Met at the library café")
    with phone_page.expect_response(lambda r: "/timeline/" in r.url):
        phone_page.locator("#quick-contact").get_by_role("button", name="Save contact").click()
    phone_page.get_by_text("Met at the library café").wait_for()
    assert phone_page.locator(".timeline-item").count() == before + 1
    assert phone_page.evaluate("window.__marker") == "same page"  # no page reload
    phone_page.locator("#client-facts").get_by_text("today").wait_for()
    # Marking the plan step done in one tap.
    phone_page.get_by_role("button", name="Mark done: Visit the central library with Dana").click()
    phone_page.get_by_role("button", name="Mark not done: Visit the central library with Dana").wait_for()
    phone_page.locator(".timeline-item", has_text="Plan step done").wait_for()
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "client-record-after-log")


def test_invalid_full_contact_form_keeps_the_input(live_server, phone_page):
    specialist, clients = build_caseload()
    login(phone_page, live_server, "phone_spec", f.PASSWORD)
    phone_page.goto(f"{live_server.url}/clients/{clients[0].pk}/contacts/new/")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    phone_page.fill("input[name=contact_date]", tomorrow.isoformat())
    phone_page.select_option("select[name=with_whom]", "family")
    phone_page.fill("textarea[name=note]", "Called the sister")
    phone_page.get_by_role("button", name="Save contact").click()  # refused: the form comes back
    expect(phone_page.locator("main form")).to_contain_text("cannot be in the future")
    assert phone_page.input_value("textarea[name=note]") == "Called the sister"
    assert phone_page.input_value("select[name=with_whom]") == "family"
    assert no_horizontal_scroll(phone_page)
    screenshot(phone_page, "contact-form-error")
