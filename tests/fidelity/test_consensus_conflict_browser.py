"""Consensus from a stale page in Chromium (issue #13 item 6): the reviewer who saves second sees both
versions side by side and keeps their scores and rationale in the form; saving again records theirs."""

import pytest

from fidelity import services
from fidelity.models import ItemScore

from .. import factories as f
from ..browser import login, screenshot
from .support import schedule, score_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_a_stale_consensus_save_keeps_both_versions(live_server, phone_page, ns):
    f.current_scale()  # transactional tests flush the data migration's rows
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    other = [4] * 25
    other[0] = 2
    score_and_submit(review, ns.trainer2, other)
    page = phone_page
    login(page, live_server, "fid_trainer2", f.PASSWORD)
    page.goto(f"{live_server.url}/fidelity/reviews/{review.pk}/consensus/")
    page.select_option("select[name=score_1]", "3")
    page.fill("textarea[name=rationale_1]", "My reading: the caseload list is incomplete")

    # Meanwhile the other reviewer saves first.
    services.record_consensus(review, {1: (4, "Their reading: the list is fine")}, user=ns.trainer1)

    press(page, "Save consensus")
    assert page.locator("#consensus-conflict").is_visible()
    item = page.locator("[data-conflict='1']")
    assert "Their reading: the list is fine" in item.locator("[data-version=theirs]").text_content()
    assert "My reading: the caseload list is incomplete" in item.locator("[data-version=yours]").text_content()
    assert "Differs" in item.text_content()
    # The loser's input is still in the form, not replaced by the saved version.
    assert page.input_value("select[name=score_1]") == "3"
    assert page.input_value("textarea[name=rationale_1]") == "My reading: the caseload list is incomplete"
    assert ItemScore.objects.get(review=review, item__number=1).consensus_score == 4
    screenshot(page, "fidelity-consensus-conflict")

    press(page, "Save consensus")  # deliberately over the version now shown
    saved = ItemScore.objects.get(review=review, item__number=1)
    assert (saved.consensus_score, saved.rationale) == (3, "My reading: the caseload list is incomplete")
    assert page.locator("#consensus-conflict").count() == 0
