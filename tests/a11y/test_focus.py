"""Keyboard quick log on My caseload: after saving, focus stays in the row just logged (not the page top)."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Contact
from programs.models import Role

from .. import factories as f
from ..browser import login, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_ROW = "id => { const a = document.activeElement; return !!(a && a.closest('#' + id)); }"


def test_focus_returns_to_the_row_just_logged(live_server, browser):
    today = timezone.localdate()
    program = f.ProgramFactory()
    specialist = f.make_user(Role.SPECIALIST, program=program, username="keys_spec")
    clients = []
    for first in ("Avery", "Jordan", "Rowan"):
        client = f.ClientFactory(program=program, first_name=first, last_name="Keyes")
        f.EnrollmentFactory(client=client, enrollment_date=today - datetime.timedelta(days=60), specialist=specialist)
        clients.append(client)
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, "keys_spec", f.PASSWORD)
    target = clients[1]
    row_id = f"client-row-{target.pk}"

    page.locator(f"#{row_id} .quick-log-toggle").focus()
    page.keyboard.press("Enter")  # opens the quick log
    page.keyboard.press("Tab")  # "Something else?"
    page.keyboard.press("Tab")  # Minutes
    page.keyboard.type("25")
    with page.expect_response(lambda r: "/contacts/quick/" in r.url):
        page.keyboard.press("Enter")
    page.locator(f"#{row_id}").get_by_text("Contact saved").wait_for()
    page.wait_for_function(IN_ROW, arg=row_id)
    assert page.evaluate(IN_ROW, row_id)
    assert page.evaluate("document.activeElement.classList.contains('quick-log-toggle')")
    assert Contact.objects.filter(client=target, minutes=25).count() == 1

    # A mistake the server catches keeps focus in the row too, on the field to correct (the browser's own
    # max check is lifted so the server's rule answers).
    page.reload()
    page.wait_for_load_state("networkidle")
    page.eval_on_selector(f"#qc{target.pk}_minutes", "input => input.removeAttribute('max')")
    page.locator(f"#{row_id} .quick-log-toggle").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("9999")  # over a day's minutes
    with page.expect_response(lambda r: "/contacts/quick/" in r.url):
        page.keyboard.press("Enter")
    page.wait_for_function(IN_ROW, arg=row_id)
    assert page.evaluate("document.activeElement.id") == f"qc{target.pk}_minutes"
    context.close()
