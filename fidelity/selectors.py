"""Reads of fidelity reviews: latest results, due dates, lists. Bounded queries, no per-program loops.

Callers scope `programs` through programs/access.py first; these functions never widen it.
"""

from django.db.models import OuterRef, Subquery

from .models import FidelityLevel, FidelityReview, ReviewStatus

# "Latest" review of a program: the most recent visit, ties broken by finalization time then id.
LATEST_ORDER = ("-visit_start", "-finalized_at", "-pk")


def _program_ids(programs):
    """Accept a Program queryset (kept lazy, used as a subquery), or an iterable of programs or ids."""
    if hasattr(programs, "model") and hasattr(programs, "values"):
        return programs.values("pk")
    return [getattr(p, "pk", p) for p in programs]


def attach_levels(reviews):
    """Set `.level` (FidelityLevel or None) on each review from its `total_score`, in one query."""
    reviews = list(reviews)
    scale_ids = {r.scale_id for r in reviews}
    levels = list(FidelityLevel.objects.filter(scale_id__in=scale_ids)) if scale_ids else []
    for review in reviews:
        review.level = _level_in(levels, review.scale_id, review.total_score)
    return reviews


def _level_in(levels, scale_id, total):
    if total is None:
        return None
    for level in levels:
        if level.scale_id == scale_id and level.min_total <= total <= level.max_total:
            return level
    return None


def finalized_reviews(programs):
    return FidelityReview.objects.filter(program__in=_program_ids(programs), status=ReviewStatus.FINALIZED)


def latest_reviews(programs):
    """{program_id: that program's latest FINALIZED FidelityReview} with `.level` attached.

    Two queries whatever the number of programs (reviews with their program, then the levels).
    Programs without a finalized review are absent from the dict.
    """
    newest = (
        FidelityReview.objects.filter(program=OuterRef("program"), status=ReviewStatus.FINALIZED)
        .order_by(*LATEST_ORDER)
        .values("pk")[:1]
    )
    reviews = (
        finalized_reviews(programs)
        .filter(pk=Subquery(newest))
        .select_related("program", "scale", "reviewer_1", "reviewer_2")
    )
    return {review.program_id: review for review in attach_levels(reviews)}
