"""Helpers for the fidelity tests: functions that walk a review through the workflow with the service
functions, for the region of the `ns` fixture (conftest.py)."""

import datetime

from django.utils import timezone

from fidelity import services
from fidelity.models import FidelityReview, ReviewStatus, ReviewType

from .. import factories as f

VISIT = datetime.date(2026, 5, 4)

# Totals at every edge of the IPS-25 levels (115-125 exemplary, 100-114 good, 74-99 fair, <= 73 not SE).
LEVEL_BOUNDARIES = [
    (25, "not_supported"),
    (73, "not_supported"),
    (74, "fair"),
    (99, "fair"),
    (100, "good"),
    (114, "good"),
    (115, "exemplary"),
    (125, "exemplary"),
]


def schedule(ns, program=None, visit=VISIT, **overrides):
    kwargs = {
        "program": program or ns.program,
        "review_type": ReviewType.FOLLOW_UP,
        "visit_start": visit,
        "visit_end": visit + datetime.timedelta(days=1),
        "period_start": visit - datetime.timedelta(days=182),
        "period_end": visit - datetime.timedelta(days=1),
        "reviewer_1": ns.trainer1,
        "reviewer_2": ns.trainer2,
        "user": ns.trainer1,
    }
    kwargs.update(overrides)
    return services.schedule_review(**kwargs)


def entries(scores, evidence="Seen in interviews"):
    """{item number: ScoreEntry} from a list of 25 scores (None leaves an item unscored)."""
    return {
        n: services.ScoreEntry(score=s, evidence=evidence, data_sources=("interviews",))
        for n, s in enumerate(scores, start=1)
    }


def score_and_submit(review, reviewer, scores, evidence="Seen in interviews"):
    services.save_reviewer_scores(review, entries(scores, evidence), user=reviewer)
    return services.submit_scores(review, user=reviewer)


def complete_review(ns, total, *, visit=VISIT, program=None, finalize=True):
    """A review scored identically by both reviewers to `total`, consensus and report, finalized."""
    scores = f.scores_for_total(total)
    review = schedule(ns, program=program, visit=visit)
    score_and_submit(review, ns.trainer1, scores)
    score_and_submit(review, ns.trainer2, scores)
    services.record_consensus(review, {n: (s, "") for n, s in enumerate(scores, start=1)}, user=ns.trainer1)
    services.save_report(
        review,
        user=ns.trainer1,
        strengths="Strong employer relationships.",
        summary=f"Scored {total}.",
        recommendations={n: f"Improve item {n}." for n, s in enumerate(scores, start=1) if s < 5},
    )
    if finalize:
        services.finalize_review(review, user=ns.trainer1)
    return FidelityReview.objects.get(pk=review.pk)


def finalized_stub(program, total, visit):
    """A finalized review row without the workflow (for due-date and list tests)."""
    review = f.FidelityReviewFactory(
        program=program,
        visit_start=visit,
        visit_end=visit,
        status=ReviewStatus.FINALIZED,
        total_score=total,
        finalized_at=timezone.now(),
    )
    return f.score_review(review, f.scores_for_total(total))
