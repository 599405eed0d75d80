"""Finalized IPS-25 fidelity reviews for the demo programs, with scores, recommendations and action plans."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from fidelity import models as fm
from programs.models import Program

from .seeding import Seeding


def build_fidelity(s: Seeding, program: Program, total: int, with_baseline: bool) -> None:
    """A follow-up review two to five months ago; with a baseline 14 points lower over a year before."""
    if with_baseline:
        visit = s.today - s.days(430)
        finalized_review(s, program, total - 14, visit, fm.ReviewType.BASELINE)
    visit = s.today - s.days(s.rng.randint(60, 150))
    finalized_review(s, program, total, visit, fm.ReviewType.FOLLOW_UP)


def finalized_review(
    s: Seeding, program: Program, total: int, visit: datetime.date, review_type: str
) -> fm.FidelityReview:
    rng = s.rng
    scale = fm.FidelityScale.objects.get(is_current=True)
    items = list(scale.items.order_by("number"))
    scores = scores_adding_to(total, len(items), rng)
    first, second = s.staff.trainers
    finished = timezone.make_aware(datetime.datetime.combine(visit + s.days(14), datetime.time(15, 0)))
    review = fm.FidelityReview.objects.create(
        program=program,
        scale=scale,
        review_type=review_type,
        visit_start=visit,
        visit_end=visit + s.days(1),
        period_start=visit - s.days(183),
        period_end=visit - s.days(1),
        reviewer_1=first,
        reviewer_2=second,
        reviewer_1_submitted_at=finished,
        reviewer_2_submitted_at=finished,
        status=fm.ReviewStatus.FINALIZED,
        strengths="Specialists spend most of their time in the community and know local employers well.",
        summary=f"The program scored {total} of 125 on the IPS-25.",
        total_score=total,
        finalized_at=finished,
        finalized_by=first,
    )
    item_scores = s.bulk(
        fm.ItemScore,
        [
            fm.ItemScore(review=review, item=item, consensus_score=score, rationale="Agreed after discussion.")
            for item, score in zip(items, scores, strict=True)
        ],
    )
    reviewer_scores = []
    for item_score, consensus in zip(item_scores, scores, strict=True):
        for reviewer in (first, second):
            score = consensus
            # The second reviewer differs by a point on about one item in five before consensus.
            if reviewer == second and rng.random() < 0.2:
                score = max(1, min(5, score + rng.choice([-1, 1])))
            reviewer_scores.append(
                fm.ReviewerScore(
                    item_score=item_score,
                    reviewer=reviewer,
                    score=score,
                    evidence="Interviews with staff and a review of ten charts.",
                    data_sources=[fm.DataSource.INTERVIEWS, fm.DataSource.CHART_REVIEW],
                )
            )
    s.bulk(fm.ReviewerScore, reviewer_scores)
    recommendations = s.bulk(
        fm.Recommendation,
        [
            fm.Recommendation(review=review, item=item, text=f"Work toward full practice on '{item.title.lower()}'.")
            for item, score in zip(items, scores, strict=True)
            if score < 5
        ],
    )
    s.bulk(
        fm.ActionPlanItem,
        [
            fm.ActionPlanItem(
                review=review,
                recommendation=recommendation,
                description=f"Plan: {recommendation.text}",
                owner=rng.choice(["Supervisor", "Program director", "Employment specialists"]),
                due_date=visit + s.days(90 + 30 * n),
                status=rng.choice(fm.ActionStatus.values[:3]),
            )
            for n, recommendation in enumerate(recommendations[:4])
        ],
    )
    return review


def scores_adding_to(total: int, n: int, rng: random.Random) -> list[int]:
    """n scores from 1 to 5, shuffled, that add up to `total`."""
    scores = [3] * n
    diff = total - 3 * n
    step = 1 if diff > 0 else -1
    while diff:
        i = rng.randrange(n)
        if 1 <= scores[i] + step <= 5:
            scores[i] += step
            diff -= step
    return scores
