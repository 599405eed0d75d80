"""A whole fidelity review in Chromium at phone size: schedule, two reviewers score alone, consensus,
report, finalized report, and the program's history next to the earlier review."""

import datetime

import pytest

from fidelity.models import FidelityReview, ReviewStatus

from .. import factories as f
from ..browser import ARTIFACTS, login, screenshot
from .support import complete_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score_everything(page, live_server, review, scores):
    page.goto(f"{live_server.url}/fidelity/reviews/{review.pk}/score/")
    for n, score in enumerate(scores, start=1):
        page.check(f"input[name=score_{n}][value='{score}']")
        page.fill(f"textarea[name=evidence_{n}]", f"Interviews with staff, item {n}")
    page.check("input[name=sources_1][value=program_data]")


def press(page, name):
    """Click a submit button and wait for the page it leads to (not just for the network to settle)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def screen_shot(page, name):
    """What the reviewer sees on the phone. The whole 25-item sheet is ~27,000 px tall, and a full-page
    shot of it at twice the pixels outlasts the page's 10 s timeout on a busy machine."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_two_reviewers_score_agree_report_and_finalize(live_server, phone_page, ns):
    f.current_scale()  # transactional tests flush the data migration's rows
    earlier = complete_review(ns, 92, visit=datetime.date(2025, 10, 1))
    page = phone_page

    # Reviewer 1 schedules the review from the due list.
    login(page, live_server, "fid_trainer1", f.PASSWORD)
    page.goto(f"{live_server.url}/fidelity/")
    no_horizontal_scroll(page)
    screenshot(page, "fidelity-index")
    with page.expect_navigation():
        page.locator("[data-program=harbor-lights]").get_by_role("link", name="Schedule").click()
    page.select_option("select[name=reviewer_1]", str(ns.trainer1.pk))
    page.select_option("select[name=reviewer_2]", str(ns.trainer2.pk))
    page.fill("input[name=visit_start]", "2026-04-06")
    page.fill("input[name=visit_end]", "2026-04-07")
    page.fill("input[name=period_start]", "2025-10-01")
    page.fill("input[name=period_end]", "2026-03-31")
    press(page, "Schedule the review")
    review = FidelityReview.objects.exclude(pk=earlier.pk).get()
    assert page.url.endswith(f"/fidelity/reviews/{review.pk}/")

    # Reviewer 1 scores all 25 items and submits.
    scores = f.scores_for_total(104)
    first = list(scores)
    first[0] = 5 if scores[0] != 5 else 4  # one disagreement on item 1
    score_everything(page, live_server, review, first)
    assert page.text_content("[data-badge='1']").startswith(f"Mine: {first[0]}")
    no_horizontal_scroll(page)
    page.locator("#item-1").scroll_into_view_if_needed()
    screen_shot(page, "fidelity-scoring")
    press(page, "Submit my scores…")
    assert "Submitting cannot be undone" in page.content()  # a confirmation step first
    press(page, "Yes, submit my scores")
    assert "Your scores are submitted" in page.content()
    page.context.clear_cookies()

    # Reviewer 2 cannot see reviewer 1's scores before submitting, then submits.
    login(page, live_server, "fid_trainer2", f.PASSWORD)
    score_everything(page, live_server, review, scores)
    assert "Other reviewer" not in page.content()
    press(page, "Submit my scores…")
    press(page, "Yes, submit my scores")
    page.goto(f"{live_server.url}/fidelity/reviews/{review.pk}/score/")
    assert "Other reviewer" in page.content()

    # Consensus: the disagreement is highlighted and needs a rationale.
    page.goto(f"{live_server.url}/fidelity/reviews/{review.pk}/consensus/")
    assert page.locator(".fidelity-disagree").count() == 1
    page.select_option("select[name=score_1]", str(scores[0]))
    page.fill("textarea[name=rationale_1]", "Caseload list confirms the higher anchor")
    assert page.text_content("#consensus-total").startswith("104")  # live total before saving
    no_horizontal_scroll(page)
    screenshot(page, "fidelity-consensus")
    press(page, "Save and write the report")
    assert "/report/edit/" in page.url

    # Report: strengths, a recommendation per item below 5, summary; then finalize.
    page.fill("textarea[name=strengths]", "Specialists know local employers well.")
    for n, score in enumerate(scores, start=1):
        if score < 5:
            page.fill(f"textarea[name=rec_{n}]", f"Recommendation for item {n}")
    page.fill("textarea[name=summary]", "Good fidelity with room to grow in job development.")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    press(page, "Save and finalize")
    assert "locked" in dialogs[0]  # finalizing is confirmed first: it cannot be undone
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINALIZED and review.total_score == 104
    body = page.content()
    assert "Good fidelity" in body and "Harbor Lights IPS" in body and "Download PDF" in body
    no_horizontal_scroll(page)
    screenshot(page, "fidelity-report")

    # History: the new review next to the earlier one, with the item comparison.
    page.goto(f"{live_server.url}/fidelity/programs/harbor-lights/history/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".fidelity-compare li").count() == 25
    assert "92" in page.content() and "104" in page.content()
    assert page.evaluate("document.getElementById('fidelity-history-chart').width") > 0
    screenshot(page, "fidelity-history")
