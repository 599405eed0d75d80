"""Jobs pages in a real Chromium at phone size (390 x 844)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import Action, AuditEvent
from jobs.models import EmployerContact, JobStart
from programs.models import Role

from .. import factories as f
from ..browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def setting():
    today = timezone.localdate()
    program = f.ProgramFactory(name="Harbor IPS Team")
    specialist = f.make_user(Role.SPECIALIST, program=program, username="jobs_specialist", first_name="Mara")
    client = f.ClientFactory(program=program, first_name="Orrin", last_name="Ashdown")
    f.EnrollmentFactory(
        client=client, referral_date=today - 60 * DAY, enrollment_date=today - 50 * DAY, specialist=specialist
    )
    employer = f.EmployerFactory(program=program, name="The Corner Bakery, Inc.")
    f.EmployerFactory(program=program, name="Harbor Lights Diner")
    return {"today": today, "program": program, "specialist": specialist, "client": client, "employer": employer}


def test_job_start_moves_the_client_to_working(live_server, phone_page, setting):
    page, client = phone_page, setting["client"]
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/start/{client.pk}/")
    page.fill("input[name=job_title]", "Baker's assistant")
    # A typed employer name that matches a known employer: the hint says it will be reused.
    page.fill("input[name=employer_name]", "corner bakery")
    expect(page.locator("#employer-hint")).to_contain_text("Known employer: The Corner Bakery, Inc.")
    page.select_option("select[name=occupation_group]", "35")
    page.fill("input[name=start_date]", (setting["today"] - 2 * DAY).isoformat())
    page.fill("input[name=hours_per_week]", "20")
    page.fill("input[name=hourly_wage]", "16.25")
    page.select_option("select[name=disclosure]", "partial")
    assert no_horizontal_scroll(page)
    screenshot(page, "job-start-form")
    page.get_by_role("button", name="Save job start").click()
    page.wait_for_load_state("networkidle")
    job = JobStart.objects.get(client=client)
    assert job.employer == setting["employer"] and job.disclosure == "partial"
    assert page.url.rstrip("/").endswith(f"/clients/{client.pk}")
    assert page.locator(".phase").first.inner_text().strip() == "Working"
    assert page.get_by_text("Job recorded").is_visible()
    assert page.get_by_text("No benefits-counseling session is recorded before this job start").is_visible()
    assert page.get_by_role("link", name="Update the career profile").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "job-start-saved")


def test_job_end_before_start_shows_the_error_and_keeps_the_input(live_server, phone_page, setting):
    page, today = phone_page, setting["today"]
    job = f.JobStartFactory(client=setting["client"], employer=setting["employer"], start_date=today - 20 * DAY)
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/end/")
    before = (job.start_date - 3 * DAY).isoformat()
    page.fill("input[name=end_date]", before)
    page.select_option("select[name=end_type]", "quit")
    page.fill("textarea[name=end_reason]", "Shifts moved to early mornings")
    page.fill("textarea[name=lessons_learned]", "Prefers afternoon hours")
    page.get_by_role("button", name="Save job end").click()
    page.wait_for_load_state("networkidle")
    error = page.locator("#error_1_id_end_date, .invalid-feedback").first
    assert "cannot end before it started" in error.inner_text()
    assert page.input_value("input[name=end_date]") == before
    assert page.input_value("textarea[name=lessons_learned]") == "Prefers afternoon hours"
    assert page.input_value("select[name=end_type]") == "quit"
    assert no_horizontal_scroll(page)
    screenshot(page, "job-end-error")
    job.refresh_from_db()
    assert job.end_date is None


def test_job_development_logs_a_contact_in_a_few_taps(live_server, phone_page, setting):
    page, today, specialist = phone_page, setting["today"], setting["specialist"]
    monday = today - datetime.timedelta(days=today.weekday())
    for weeks_back, count in [(1, 6), (2, 3), (3, 7), (5, 2)]:
        for _ in range(count):
            f.EmployerContactFactory(
                employer=setting["employer"], specialist=specialist, contact_date=monday - weeks_back * 7 * DAY
            )
    f.EmployerContactFactory(
        employer=setting["employer"], specialist=specialist, contact_date=monday, contact_person="Dana (manager)"
    )
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/development/")
    assert page.locator("#this-week-f2f").inner_text() == "1"
    # Three taps: open the form, tap a recent employer, save (date, face to face and "me" are defaults).
    page.get_by_text("Log an employer contact").click()
    page.locator(".jobs-recent").get_by_role("link", name="The Corner Bakery, Inc.").click()
    assert page.input_value("select[name=employer]") == str(setting["employer"].pk)
    screenshot(page, "job-development-log")
    page.get_by_role("button", name="Save contact").click()  # sent with fetch, then the page reloads
    expect(page.locator("#this-week-f2f")).to_have_text("2")
    # Or any other employer from the list.
    page.get_by_text("Log an employer contact").click()
    page.select_option("select[name=employer]", label="Harbor Lights Diner")
    page.get_by_role("button", name="Save contact").click()  # fetch, then a reload: wait for the new page
    expect(page.locator("#this-week-f2f")).to_have_text("3")
    assert EmployerContact.objects.filter(specialist=specialist, contact_date=today).count() >= 1
    assert page.locator("#weekly-table tbody tr").count() == 9
    assert page.locator("#contacts-this-week li").count() == 3
    assert page.locator("#contacts-last-week li").count() == 6  # still there to correct
    assert no_horizontal_scroll(page)
    screenshot(page, "job-development")


def test_employer_search_first_then_add(live_server, phone_page, setting):
    page = phone_page
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/employers/")
    page.fill("#employer-search", "corner bakery")
    expect(page.locator("#employer-list li")).to_have_count(1)
    assert "The Corner Bakery, Inc." in page.locator("#employer-list").inner_text()
    assert page.get_by_text("is already known as").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "employer-search")
    page.fill("#employer-search", "Maple Street Grocers")
    page.wait_for_selector("#add-employer")
    page.click("#add-employer")
    page.wait_for_load_state("networkidle")
    assert page.input_value("input[name=name]") == "Maple Street Grocers"
    assert no_horizontal_scroll(page)
    screenshot(page, "employer-add")
    page.fill("input[name=industry]", "Grocery")
    page.get_by_role("button", name="Save employer").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Maple Street Grocers"
    page.get_by_role("link", name="Log employer contact").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("select[name=employer]") == str(
        setting["program"].employers.get(name="Maple Street Grocers").pk
    )
    assert no_horizontal_scroll(page)
    screenshot(page, "employer-contact-form")
    page.get_by_role("button", name="Save contact").click()
    # Back on the employer's page, with the contact in its history.
    expect(page.get_by_text("Contacts (1)")).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "employer-detail")


def test_client_specific_employer_contact_from_the_client_record(live_server, phone_page, setting):
    page, client = phone_page, setting["client"]
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/employer-contacts/new/?client={client.pk}")
    assert page.locator("details.jobs-more").get_attribute("open") is not None
    assert page.locator("select[name=clients] option:checked").inner_text().startswith("Orrin Ashdown")
    page.select_option("select[name=employer]", label="Harbor Lights Diner")
    page.fill("input[name=contact_person]", "Dana (manager)")
    assert no_horizontal_scroll(page)
    screenshot(page, "employer-contact-client")
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_url(f"**/clients/{client.pk}/")
    contact = EmployerContact.objects.get(specialist=setting["specialist"])
    assert contact.client_specific and list(contact.clients.all()) == [client]
    assert page.url.rstrip("/").endswith(f"/clients/{client.pk}")


def test_job_edit_conflict_shows_the_other_change(live_server, phone_page, setting):
    page, today = phone_page, setting["today"]
    job = f.JobStartFactory(
        client=setting["client"], employer=setting["employer"], start_date=today - 20 * DAY, job_title="Baker"
    )
    login(page, live_server, "jobs_specialist", f.PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/edit/")
    page.fill("input[name=hours_per_week]", "25")
    # A colleague saves the job while this form is open.
    job.refresh_from_db()
    job.job_title = "Head baker"
    job.save()
    page.get_by_role("button", name="Save job").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Someone else saved this record").is_visible()
    assert "Head baker" in page.locator(".jobs-conflict").inner_text()
    assert page.input_value("input[name=hours_per_week]") == "25"
    assert no_horizontal_scroll(page)
    screenshot(page, "job-edit-conflict")
    job.refresh_from_db()
    assert job.hours_per_week == 20


def test_correct_then_delete_a_contact_on_a_phone(live_server, phone_page, specialist_a, contact_a):
    page = phone_page
    login(page, live_server, specialist_a.username, f.PASSWORD)
    page.goto(f"{live_server.url}{reverse('jobs:job_development')}")
    screenshot(page, "jobs-development-edit-link")
    page.locator("#week-contacts .jobs-edit").first.click()
    page.wait_for_load_state("networkidle")
    page.fill("input[name=contact_person]", "Ivo Marchetti")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "jobs-contact-edit")
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("jobs:job_development"))
    expect(page.get_by_text("Employer contact saved")).to_be_visible()
    contact_a.refresh_from_db()
    assert contact_a.contact_person == "Ivo Marchetti"
    page.locator("#week-contacts .jobs-edit").first.click()
    page.get_by_role("link", name="Delete this contact").click()
    page.fill("textarea[name=reason]", "Logged twice")
    screenshot(page, "jobs-contact-delete")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("jobs:job_development"))
    assert not EmployerContact.objects.filter(pk=contact_a.pk).exists()
    assert AuditEvent.objects.get(action=Action.DELETE, object_id=str(contact_a.pk)).detail["reason"] == "Logged twice"
