"""Field work on a phone (390x844) in a real Chromium: an expired session, no signal and double taps
never lose or duplicate a specialist's contact (issue 13, items 1-3)."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Contact
from jobs.models import EmployerContact

from .. import factories as f
from ..browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Met at the café about the bakery job"


def saved(client, note=NOTE):
    return Contact.objects.filter(client=client, note=note).count()


def end_session(page):
    """The session expires: its cookie is gone (the CSRF cookie stays, as it does in life)."""
    page.context.clear_cookies(name="sessionid")


def wait_until_sent(page):
    """The phone's outbox is empty: every entry got its 201 (offline.js counts them on <html>)."""
    expect(page.locator("html")).to_have_attribute("data-outbox", "0")


def badge(page):
    return page.locator("#outbox-badge")


def relogin(page):
    page.locator("#session-banner").get_by_text("Log in again").click()
    page.wait_for_url("**/login/**")
    page.fill("input[name=username]", "field_spec")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def open_quick_log_on_caseload(page, live_server, client):
    login(page, live_server, "field_spec", f.PASSWORD)
    row = page.locator(f"#client-row-{client.pk}")
    row.get_by_text("Log contact").click()
    row.locator("input[name=note]").fill(NOTE)
    return row


def test_quick_log_after_the_session_expired_is_kept_and_saved_once_after_logging_in(live_server, phone, field_client):
    row = open_quick_log_on_caseload(phone, live_server, field_client)
    end_session(phone)
    row.get_by_text("Save contact").click()
    banner = phone.locator("#session-banner")
    banner.wait_for()
    assert "session has ended" in banner.inner_text()
    # The row is still the row (no log-in page inside it), and the entry is kept on the phone.
    assert (
        row.locator("input[name=password]").count() == 0
        and phone.locator(f"#client-row-{field_client.pk}").count() == 1
    )
    expect(badge(phone)).to_have_text("Waiting to send 1")
    assert saved(field_client) == 0
    screenshot(phone, "field-session-expired-quick-log")
    relogin(phone)
    assert phone.url.endswith("/clients/")
    wait_until_sent(phone)
    assert saved(field_client) == 1
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert saved(field_client) == 1 and badge(phone).is_hidden()


def test_full_contact_form_note_comes_back_after_logging_in_again(live_server, phone, field_client):
    login(phone, live_server, "field_spec", f.PASSWORD)
    phone.goto(live_server.url + reverse("clients:contact_create", args=[field_client.pk]))
    phone.fill("textarea[name=note]", NOTE)
    phone.fill("input[name=minutes]", "45")
    end_session(phone)
    phone.get_by_role("button", name="Save contact").click()
    phone.wait_for_url("**/login/**")
    assert saved(field_client) == 0
    phone.fill("input[name=username]", "field_spec")
    phone.fill("input[name=password]", f.PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith(reverse("clients:contact_create", args=[field_client.pk]))
    assert phone.input_value("textarea[name=note]") == NOTE and phone.input_value("input[name=minutes]") == "45"
    assert phone.locator(".draft-restored").is_visible()
    screenshot(phone, "field-draft-restored")
    phone.get_by_role("button", name="Save contact").click()
    phone.wait_for_url(f"**{reverse('clients:client_detail', args=[field_client.pk])}")
    assert saved(field_client) == 1
    # Saved: the draft is gone from the phone.
    assert phone.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('ips-draft:')).length") == 0


def test_offline_quick_log_waits_and_is_sent_once_when_back_online(live_server, phone, field_client):
    login(phone, live_server, "field_spec", f.PASSWORD)
    phone.goto(live_server.url + reverse("clients:client_detail", args=[field_client.pk]))
    phone.wait_for_load_state("networkidle")
    phone.locator("#quick-contact summary").click()
    phone.fill("#qc_note", NOTE)
    phone.context.set_offline(True)
    phone.locator("#quick-contact").get_by_text("Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    assert "waiting to send" in phone.locator(".outbox-note").inner_text()
    assert phone.input_value("#qc_note") == ""
    assert saved(field_client) == 0
    screenshot(phone, "field-offline-waiting")
    phone.context.set_offline(False)
    wait_until_sent(phone)
    assert saved(field_client) == 1
    # The timeline refreshed itself and shows it once.
    phone.locator("#timeline").get_by_text(NOTE).wait_for()
    assert phone.locator("#timeline").get_by_text(NOTE).count() == 1
    phone.reload()
    assert saved(field_client) == 1


def test_a_send_whose_answer_was_lost_is_retried_and_saved_once(live_server, phone, field_client):
    row = open_quick_log_on_caseload(phone, live_server, field_client)
    url = reverse("clients:quick_contact", args=[field_client.pk])
    tries = []

    def lose_first_answer(route):
        tries.append(route.request.method)
        if len(tries) == 1:
            route.abort("connectionreset")  # the signal drops while sending
        else:
            route.continue_()

    phone.route(f"**{url}", lose_first_answer)
    row.get_by_text("Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    wait_until_sent(phone)  # retried after a pause, without a tap
    assert len(tries) == 2
    assert saved(field_client) == 1


def test_offline_entry_sent_after_the_session_expired_meanwhile_is_saved_once_after_login(
    live_server, phone, field_client
):
    row = open_quick_log_on_caseload(phone, live_server, field_client)
    phone.context.set_offline(True)
    row.get_by_text("Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    end_session(phone)
    phone.context.set_offline(False)
    phone.locator("#session-banner").get_by_text("Log in again").wait_for()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    assert saved(field_client) == 0
    relogin(phone)
    wait_until_sent(phone)
    assert saved(field_client) == 1


def test_a_refused_send_shows_the_error_and_a_retry(live_server, phone, field_client):
    login(phone, live_server, "field_spec", f.PASSWORD)
    phone.goto(live_server.url + reverse("clients:contact_create", args=[field_client.pk]))
    phone.fill("textarea[name=note]", NOTE)
    phone.fill("input[name=minutes]", "2000")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    phone.context.set_offline(False)
    error = phone.locator("#outbox-panel .outbox-error")
    expect(error).to_contain_text("Minutes must be between")
    retry = phone.locator("#outbox-panel").get_by_role("button", name="Retry")
    assert retry.is_visible() and saved(field_client) == 0
    screenshot(phone, "field-outbox-refused")
    retry.click()  # refused again: the error stays, nothing is saved
    expect(error).to_contain_text("Minutes must be between")
    assert saved(field_client) == 0


def test_double_tap_on_save_of_the_full_contact_form_logs_one_contact(live_server, phone, field_client):
    login(phone, live_server, "field_spec", f.PASSWORD)
    phone.goto(live_server.url + reverse("clients:contact_create", args=[field_client.pk]))
    phone.fill("textarea[name=note]", NOTE)
    held = []

    def slow_network(route):
        # The first tap's request is still on its way when the second tap sends another; then both
        # reach the server (Playwright sends each in full, whatever the browser does with the first).
        held.append(route)
        if len(held) == 2:
            for request in held:
                answer = request.fetch(max_redirects=0)
                with contextlib.suppress(Exception):  # the browser dropped the first navigation
                    request.fulfill(response=answer)

    phone.route(
        "**/contacts/new/", lambda route: slow_network(route) if route.request.method == "POST" else route.continue_()
    )
    # Two taps 150 ms apart (Playwright's own click would wait for the first navigation).
    phone.evaluate("""() => {
        const save = document.querySelector("main form button[type=submit]");
        save.click();
        setTimeout(() => save.click(), 150);
    }""")
    detail = live_server.url + reverse("clients:client_detail", args=[field_client.pk])
    # Polls: both sends are answered (the form sends with fetch, offline.js), then the page moves on.
    expect(phone).to_have_url(detail, timeout=15_000)
    phone.wait_for_load_state("networkidle")
    assert len(held) == 2
    assert saved(field_client) == 1
    phone.unroute_all(behavior="ignoreErrors")


def test_logging_out_warns_about_unsent_entries_and_clears_them(live_server, phone, field_client):
    row = open_quick_log_on_caseload(phone, live_server, field_client)
    phone.context.set_offline(True)
    row.get_by_text("Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    attempts = []
    phone.route("**/contacts/quick/", lambda route: (attempts.append(1), route.abort()))  # stays unsent
    phone.context.set_offline(False)
    # Back online the outbox tries to send at once: let that (refused) attempt finish before logging out,
    # so this test is about the log-out warning, not about a log-out racing a send.
    for _ in range(50):
        if attempts:
            break
        phone.wait_for_timeout(100)
    expect(badge(phone)).to_have_text("Waiting to send 1")
    messages = []
    phone.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    phone.locator(".navbar-toggler").click()
    phone.get_by_role("button", name="Log out").click()
    phone.wait_for_url("**/login/**")
    assert "1 contact is not sent yet" in messages[0]
    assert phone.evaluate("window.ipsOutbox.all().then((entries) => entries.length)") == 0


def test_warning_before_the_idle_timeout_and_stay_signed_in(live_server, phone, field_client, settings):
    login(phone, live_server, "field_spec", f.PASSWORD)
    assert phone.locator("#session-banner").count() == 0
    phone.clock.fast_forward("13:10")  # 13 min 10 s idle of 15: under two minutes left
    banner = phone.locator("#session-banner")
    expect(banner).to_contain_text("You will be signed out in 2 minutes")
    screenshot(phone, "field-session-warning")
    with phone.expect_response("**/session/keep-alive/") as answer:
        banner.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 200
    expect(banner).to_have_count(0)


def test_the_app_installs_a_service_worker_for_the_whole_site(live_server, phone, field_client):
    login(phone, live_server, "field_spec", f.PASSWORD)
    scope = phone.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == live_server.url + "/"
    manifest = phone.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())")
    assert manifest["display"] == "standalone" and {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}


def test_offline_employer_contact_is_sent_once_when_back_online(live_server, phone, field_client, field_employer):
    login(phone, live_server, "field_spec", f.PASSWORD)
    phone.goto(live_server.url + reverse("jobs:employer_contact_create") + f"?client={field_client.pk}")
    phone.select_option("select[name=employer]", str(field_employer.pk))
    phone.fill("input[name=contact_person]", "Sam Ortiz")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    assert EmployerContact.objects.count() == 0
    phone.context.set_offline(False)
    wait_until_sent(phone)
    contact = EmployerContact.objects.get()
    assert (contact.employer, contact.contact_person) == (field_employer, "Sam Ortiz")
    assert list(contact.clients.all()) == [field_client]


def test_a_server_error_on_a_quick_log_says_so_and_keeps_the_entry(live_server, phone, field_client):
    """Issue #18: the quick log showed nothing on a 500, so the specialist tapped again."""
    row = open_quick_log_on_caseload(phone, live_server, field_client)
    url = reverse("clients:quick_contact", args=[field_client.pk])
    failures = []

    def fail_once(route):
        if not failures:
            failures.append(route.request.url)
            route.fulfill(status=500, body="Server Error")
        else:
            route.continue_()

    phone.route(f"**{url}", fail_once)
    row.get_by_text("Save contact").click()
    alert = phone.locator(".htmx-error")
    expect(alert).to_have_text(
        "Not saved: the server answered with an error (500). What you typed is still here: try again."
    )
    assert row.locator("input[name=note]").input_value() == NOTE and saved(field_client) == 0
    row.get_by_text("Save contact").click()
    expect(alert).to_have_count(0)
    for _ in range(50):  # the second tap's request reaches the server
        if saved(field_client):
            break
        phone.wait_for_timeout(200)
    assert saved(field_client) == 1 and len(failures) == 1
