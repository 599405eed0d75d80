"""Reviewers hear of their review being scheduled, both scores submitted and the report finalized
(fidelity.events announces them after commit)."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.urls import reverse

from fidelity.events import ReviewEvent
from fidelity.models import FidelityReview
from reports.quarterly import outbox

from .models import Kind
from .services import deliver

logger = logging.getLogger(__name__)

EVENTS = {
    ReviewEvent.SCHEDULED: (
        Kind.REVIEW_SCHEDULED,
        "Fidelity review of {program} scheduled ({start:%b %-d, %Y})",
        "review",
    ),
    ReviewEvent.SCORES_SUBMITTED: (
        Kind.SCORES_SUBMITTED,
        "Both reviewers submitted their scores for {program}: consensus next",
        "consensus",
    ),
    ReviewEvent.FINALIZED: (Kind.REPORT_FINALIZED, "Fidelity report for {program} finalized", "report"),
}


def notify_reviewers(review_id: int, event: str) -> int:
    kind, title, page = EVENTS[event]
    review = FidelityReview.objects.select_related("program", "reviewer_1", "reviewer_2").filter(pk=review_id).first()
    if review is None:
        return 0
    text = title.format(program=review.program.name, start=review.visit_start)
    lines = [text, f"Visit {review.visit_start:%b %-d} to {review.visit_end:%b %-d, %Y}."]
    link = reverse(f"fidelity:{page}", args=[review.pk])
    sent = 0
    for reviewer in (review.reviewer_1, review.reviewer_2):
        if reviewer is not None:
            note = deliver(
                user=reviewer, kind=kind, key=f"review:{review.pk}:{event}", title=text, lines=lines, link=link
            )
            sent += note is not None
    return sent


def on_review_event(sender: Any, review_id: int, event: str, **kwargs: Any) -> None:
    """Queue the notifications from a background thread, as report requests are sent: the reviewer's
    request never waits for a slow or frozen broker (in eager mode, or inside an outer transaction whose
    rows another connection could not see yet, here)."""
    if current_app.conf.task_always_eager or not outbox.sees_committed_rows():
        _queue(review_id, event)
    else:
        outbox.in_background(_queue, review_id, event)


def _queue(review_id: int, event: str) -> None:
    """If the broker is down, deliver them here rather than lose them."""
    from .tasks import review_event

    try:
        review_event.delay(review_id, event)
    except Exception:
        logger.warning("Broker unavailable: notifying reviewers of review %s inline", review_id, exc_info=True)
        notify_reviewers(review_id, event)
