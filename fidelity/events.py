"""Review events other apps react to (notifications), sent only once the write is committed.

Fidelity sits below the apps that listen, so it announces with a signal instead of calling them."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from .models import FidelityReview

# Sent with review_id and event (one of ReviewEvent) after the transaction that made the change commits.
review_event = Signal()


class ReviewEvent:
    SCHEDULED = "scheduled"
    SCORES_SUBMITTED = "scores_submitted"  # both reviewers have submitted
    FINALIZED = "finalized"


def announce(review: FidelityReview, event: str) -> None:
    """Send `review_event` after commit: a rolled-back write announces nothing."""
    review_id = review.pk
    transaction.on_commit(lambda: review_event.send(sender=FidelityReview, review_id=review_id, event=event))
