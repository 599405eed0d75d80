"""Opening the app without a connection (issue 13, item 2: cold start): the service worker shows the offline
page, where the specialist logs a client contact or an employer contact for a client of their caseload from
the list kept on the phone; the entry is sent once when the connection returns. A full-form post that loses
the signal keeps its entry too, instead of the browser's error page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Contact
from jobs.models import EmployerContact

from .. import factories as f
from ..browser import login, screenshot
from .test_browser_field import NOTE, badge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED_LIST = "window.ipsOutbox.caseload.get().then((list) => (list && list.clients.length) || 0)"


def sent(page):
    """The outbox is empty: the app (opened again by the offline page) sent every entry."""
    expect(page.locator("html")).to_have_attribute("data-outbox", "0", timeout=20_000)


def open_caseload_once(page, live_server):
    """Online once: logged in, My caseload loaded (the list is kept), the service worker installed."""
    login(page, live_server, "field_spec", f.PASSWORD)
    page.goto(live_server.url + reverse("clients:caseload"))
    page.wait_for_function(STORED_LIST)
    page.evaluate("navigator.serviceWorker.ready")
    assert page.evaluate(
        "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
        ".then((c) => c.match('/offline/'))))).then((hits) => hits.some(Boolean))"
    )


def reopen_offline(page, live_server):
    """The phone has no signal; the app is closed and opened again at its start address."""
    context = page.context
    context.set_offline(True)
    page.close()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    expect(page.locator("#offline-log")).to_be_visible()
    return page


def test_cold_start_offline_logs_a_client_contact_sent_once(live_server, phone, field_client, field_program):
    other = f.ClientFactory(program=field_program, first_name="Not", last_name="Mine")  # a teammate's client
    f.EnrollmentFactory(client=other)
    open_caseload_once(phone, live_server)
    page = reopen_offline(phone, live_server)
    options = page.locator("#offline-client option").all_inner_texts()
    assert options[1:] == ["Avery Brookfield"]  # the caseload only
    page.select_option("#offline-client", str(field_client.pk))
    page.fill("#offline-minutes", "30")
    page.fill("#offline-note", NOTE)
    page.get_by_role("button", name="Save on this phone").click()
    expect(badge(page)).to_have_text("Waiting to send 1")
    expect(page.locator("#offline-log .outbox-note")).to_contain_text("waiting to send")
    screenshot(page, "field-cold-start-offline-log")
    assert Contact.objects.filter(note=NOTE).count() == 0
    page.context.set_offline(False)
    # The app opens by itself and sends the entry.
    sent(page)
    contact = Contact.objects.get(note=NOTE)
    assert (contact.client, contact.minutes, contact.contact_date.isoformat()) == (
        field_client,
        30,
        page.evaluate("window.ipsOutbox.localDay()"),
    )
    page.goto(live_server.url + reverse("clients:client_detail", args=[field_client.pk]))
    page.locator("#timeline").get_by_text(NOTE).wait_for()
    assert page.locator("#timeline").get_by_text(NOTE).count() == 1
    page.reload()
    assert Contact.objects.filter(note=NOTE).count() == 1


def test_cold_start_offline_logs_an_employer_contact_sent_once(live_server, phone, field_client, field_employer):
    open_caseload_once(phone, live_server)
    page = reopen_offline(phone, live_server)
    page.locator("label[for=kind-employer]").click()
    page.fill("#offline-employer", "Harbor Grill")
    page.select_option("#offline-client", str(field_client.pk))
    page.fill("#offline-person", "Sam Ortiz")
    page.get_by_role("button", name="Save on this phone").click()
    expect(badge(page)).to_have_text("Waiting to send 1")
    page.context.set_offline(False)
    sent(page)
    contact = EmployerContact.objects.get()
    assert (contact.employer, contact.contact_person) == (field_employer, "Sam Ortiz")
    assert list(contact.clients.all()) == [field_client]


def test_the_list_is_deleted_at_log_out_and_when_the_session_ends(live_server, phone, field_client):
    open_caseload_once(phone, live_server)
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.locator(".navbar-toggler").click()
    log_out = phone.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()  # the menu has opened
    log_out.click()
    phone.wait_for_url("**/login/**", timeout=30_000)
    assert phone.evaluate(STORED_LIST) == 0
    open_caseload_once(phone, live_server)
    phone.evaluate("document.dispatchEvent(new CustomEvent('session:expired'))")  # what a 401 or the timer does
    phone.wait_for_function(f"{STORED_LIST}.then((n) => n === 0)")
    # Opened offline afterwards: no client to choose, only the hint.
    page = reopen_offline_without_list(phone, live_server)
    assert page.locator("#offline-log-missing").is_visible()


def test_a_list_older_than_a_day_is_deleted_unused(live_server, phone, field_client):
    open_caseload_once(phone, live_server)
    context = phone.context
    context.set_offline(True)
    phone.close()  # the app is closed (no idle timer runs to see the session end) ...
    context.clock.fast_forward("24:00:01")  # ... and the phone lies a day in a drawer
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#offline-log-missing").wait_for()
    assert page.locator("#offline-log").is_hidden()
    page.wait_for_function(f"{STORED_LIST}.then((n) => n === 0)")


def reopen_offline_without_list(page, live_server):
    context = page.context
    context.set_offline(True)
    page.close()
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#offline-log-missing").wait_for()
    assert page.locator("#offline-log").is_hidden()
    return page


@pytest.mark.parametrize("form", ["client", "employer"])
def test_a_full_form_post_that_loses_the_signal_keeps_the_entry(live_server, phone, field_client, field_employer, form):
    login(phone, live_server, "field_spec", f.PASSWORD)
    if form == "client":
        url = reverse("clients:contact_create", args=[field_client.pk])
        phone.goto(live_server.url + url)
        phone.fill("textarea[name=note]", NOTE)
        saved = lambda: Contact.objects.filter(note=NOTE).count()  # noqa: E731
    else:
        url = reverse("jobs:employer_contact_create")
        phone.goto(live_server.url + url + f"?client={field_client.pk}")
        phone.select_option("select[name=employer]", str(field_employer.pk))
        phone.fill("input[name=contact_person]", "Sam Ortiz")
        saved = EmployerContact.objects.count
    key = phone.input_value("main form input[name=submission_key]")
    lost = []
    # The browser thinks it is online; the post never arrives.
    phone.route(
        f"**{url}*",
        lambda route: (
            (lost.append(1), route.abort("internetdisconnected"))
            if route.request.method == "POST" and not lost
            else route.continue_()
        ),
    )
    phone.get_by_role("button", name="Save contact").click()
    expect(badge(phone)).to_have_text("Waiting to send 1")
    assert phone.url.startswith(live_server.url + url)  # still the form, no error page
    assert phone.locator("main form button[type=submit]").is_visible()
    entries = phone.evaluate("window.ipsOutbox.all()")
    assert [entry["key"] for entry in entries] == [key] and saved() == 0
    screenshot(phone, f"field-lost-signal-{form}")
    # The outbox tries again by itself, with the form's key: saved once.
    expect(phone.locator("html")).to_have_attribute("data-outbox", "0")
    assert saved() == 1 and len(lost) == 1
