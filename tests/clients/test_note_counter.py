"""The note of the full contact form counts its characters as they are typed and says when the limit
(clients.plausible.NOTE_MAX_LENGTH) is reached; the field takes no more (issue 13, item 5)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.plausible import NOTE_MAX_LENGTH

from .. import factories as f
from ..browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_note_counter_counts_and_says_when_the_limit_is_reached(live_server, phone_page, own_client, specialist_a):
    page = phone_page
    login(page, live_server, specialist_a.username, f.PASSWORD)
    page.goto(live_server.url + reverse("clients:contact_create", args=[own_client.pk]))
    note = page.locator("textarea[name=note]")
    counter = page.locator("#id_note-counter")
    expect(counter).to_have_text("0 of 5,000 characters")
    assert "id_note-counter" in note.get_attribute("aria-describedby")
    note.fill("Met at the library")
    expect(counter).to_have_text("18 of 5,000 characters")
    assert "text-danger" not in counter.get_attribute("class")
    note.fill("x" * (NOTE_MAX_LENGTH - 2))
    expect(counter).to_have_text("4,998 of 5,000 characters")
    assert "text-danger" in counter.get_attribute("class")  # flagged near the limit
    note.press_sequentially("abcd")  # typed: the field stops at the limit
    expect(counter).to_have_text("5,000 of 5,000 characters: the limit. Shorten the note to add more.")
    assert len(note.input_value()) == NOTE_MAX_LENGTH
    screenshot(page, "clients-note-counter-limit")
