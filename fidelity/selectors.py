"""Reads of fidelity reviews: latest results, due dates, lists. Bounded queries, no per-program loops.

Callers scope `programs` through programs/access.py first; these functions never widen it.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum

from benchmarks.models import BenchmarkSettings

from .models import (
    ActionPlanItem,
    ActionStatus,
    FidelityAnchor,
    FidelityItem,
    FidelityLevel,
    FidelityReview,
    ItemScore,
    ReviewerScore,
    ReviewStatus,
    ReviewType,
    ScoreAmendment,
)

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
    """{program_id: that program's latest FINALIZED external FidelityReview} with `.level` attached.

    Self-assessments are left out: the program's fidelity of record (due dates, the regional view,
    fidelity against outcomes) comes from external reviews; its history still shows them.
    Two queries whatever the number of programs (reviews with their program, then the levels).
    Programs without a finalized review are absent from the dict.
    """
    newest = (
        FidelityReview.objects.filter(program=OuterRef("program"), status=ReviewStatus.FINALIZED)
        .exclude(review_type=ReviewType.SELF_ASSESSMENT)
        .order_by(*LATEST_ORDER)
        .values("pk")[:1]
    )
    reviews = (
        finalized_reviews(programs)
        .filter(pk=Subquery(newest))
        .select_related("program", "scale", "reviewer_1", "reviewer_2")
    )
    return {review.program_id: review for review in attach_levels(reviews)}


# -- due dates and the regional picture -------------------------------------------------------------
@dataclass
class ProgramFidelityRow:
    program: object
    latest: object  # FidelityReview with .level, or None
    open_review: object  # the newest review not yet finalized, or None
    due_date: object  # date, or None when never reviewed (a baseline is due now)
    as_of: object

    @property
    def due_now(self):
        return self.due_date is None or self.due_date <= self.as_of

    @property
    def overdue(self):
        return self.due_date is not None and self.due_date < self.as_of and self.open_review is None

    @property
    def next_type(self):
        return ReviewType.FOLLOW_UP if self.latest else ReviewType.BASELINE


def program_rows(programs, as_of):
    """One row per program: latest finalized review and level, open review, next due date.

    Five queries whatever the number of programs. The due-date rule is services.next_due_date.
    """
    from .services import next_due_date

    programs = list(programs.select_related("agency__region").order_by("name"))
    latest = latest_reviews(programs)
    open_reviews = {}
    for review in (
        FidelityReview.objects.filter(program__in=programs)
        .exclude(status=ReviewStatus.FINALIZED)
        .select_related("reviewer_1", "reviewer_2")
        .order_by("visit_start", "pk")
    ):
        open_reviews.setdefault(review.program_id, review)
    attach_action_progress(latest.values())
    benchmarks = BenchmarkSettings.current()
    rows = [
        ProgramFidelityRow(
            program=p,
            latest=latest.get(p.pk),
            open_review=open_reviews.get(p.pk),
            due_date=next_due_date(latest.get(p.pk), benchmarks),
            as_of=as_of,
        )
        for p in programs
    ]
    rows.sort(key=lambda r: (r.due_date is not None, r.due_date or as_of, r.program.name))
    return rows


def attach_action_progress(reviews):
    """Set `.actions_total` and `.actions_done` on each review from its action plan (one query)."""
    reviews = list(reviews)
    counts = {
        row["review_id"]: row
        for row in ActionPlanItem.objects.filter(review__in=[r.pk for r in reviews])
        .values("review_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
    }
    for review in reviews:
        row = counts.get(review.pk, {})
        review.actions_total, review.actions_done = row.get("total", 0), row.get("done", 0)
    return reviews


def open_reviews(programs):
    return (
        FidelityReview.objects.filter(program__in=_program_ids(programs))
        .exclude(status=ReviewStatus.FINALIZED)
        .select_related("program", "reviewer_1", "reviewer_2")
        .order_by("visit_start", "pk")
    )


def recent_finalized(programs, limit=10):
    return attach_levels(
        finalized_reviews(programs).select_related("program", "scale").order_by("-finalized_at", "-pk")[:limit]
    )


# -- the scale, the sheets ---------------------------------------------------------------------------------
def scale_items(scale):
    """The scale's items in order, with their sections and anchors (two queries)."""
    return list(
        FidelityItem.objects.filter(scale=scale)
        .select_related("section")
        .prefetch_related(Prefetch("anchors", queryset=FidelityAnchor.objects.order_by("-score")))
        .order_by("number")
    )


def group_by_section(rows, key=lambda row: row["item"].section):
    """[(section, [rows])] in section order, keeping row order."""
    sections = []
    for row in rows:
        section = key(row)
        if not sections or sections[-1][0].pk != section.pk:
            sections.append((section, []))
        sections[-1][1].append(row)
    return sections


def scoring_rows(review, viewer):
    """One row per item: item (with anchors), the viewer's own ReviewerScore, and the other reviewer's
    ReviewerScore ONLY once both reviewers have submitted (the hidden-until-submitted rule)."""
    from .services import both_submitted

    items = scale_items(review.scale)
    visible_reviewers = [viewer.pk]
    if both_submitted(review):
        visible_reviewers = [review.reviewer_1_id, review.reviewer_2_id]
    scores = ReviewerScore.objects.filter(item_score__review=review, reviewer_id__in=visible_reviewers).select_related(
        "item_score"
    )
    mine, other = {}, {}
    for rs in scores:
        (mine if rs.reviewer_id == viewer.pk else other)[rs.item_score.item_id] = rs
    return [{"item": item, "mine": mine.get(item.pk), "other": other.get(item.pk)} for item in items]


def scored_counts(review):
    """{reviewer id: number of items that reviewer has scored} (one query)."""
    return dict(
        ReviewerScore.objects.filter(item_score__review=review, score__isnull=False)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )


def consensus_rows(review):
    """Per item: both reviewers' scores side by side, the consensus row, and whether they disagree."""
    items = scale_items(review.scale)
    item_scores = {s.item_id: s for s in review.item_scores.all()}
    by_reviewer = {}
    for rs in ReviewerScore.objects.filter(item_score__review=review).select_related("item_score"):
        by_reviewer[(rs.item_score.item_id, rs.reviewer_id)] = rs
    rows = []
    for item in items:
        first = by_reviewer.get((item.pk, review.reviewer_1_id))
        second = by_reviewer.get((item.pk, review.reviewer_2_id))
        s1, s2 = getattr(first, "score", None), getattr(second, "score", None)
        rows.append(
            {
                "item": item,
                "first": first,
                "second": second,
                "item_score": item_scores.get(item.pk),
                "disagree": s1 is not None and s2 is not None and s1 != s2,
                "gap": abs(s1 - s2) if s1 is not None and s2 is not None else None,
            }
        )
    return rows


def report_rows(review):
    """Per item: consensus score, rationale, recommendation, amendments (newest first)."""
    items = scale_items(review.scale)
    item_scores = {
        s.item_id: s
        for s in review.item_scores.prefetch_related(
            Prefetch("amendments", queryset=ScoreAmendment.objects.select_related("amended_by"))
        )
    }
    recommendations = {r.item_id: r for r in review.recommendations.filter(item__isnull=False)}
    return [
        {
            "item": item,
            "item_score": item_scores.get(item.pk),
            "recommendation": recommendations.get(item.pk),
            "amendments": list(item_scores[item.pk].amendments.all()) if item.pk in item_scores else [],
        }
        for item in items
    ]


def subtotals_by_review(reviews):
    """{review_id: [(section number, section name, subtotal, max)]} for many reviews in one query."""
    ids = [r.pk for r in reviews]
    result = {pk: [] for pk in ids}
    rows = (
        ItemScore.objects.filter(review_id__in=ids)
        .values("review_id", "item__section__number", "item__section__name")
        .annotate(subtotal=Sum("consensus_score"), items=Count("pk"))
        .order_by("review_id", "item__section__number")
    )
    for r in rows:
        result[r["review_id"]].append(
            (r["item__section__number"], r["item__section__name"], r["subtotal"] or 0, r["items"] * 5)
        )
    return result


# -- history ---------------------------------------------------------------------------------------------------
def program_history(program):
    """A program's finalized reviews oldest first (with .level and .subtotals), and the item-by-item
    comparison of the latest with the previous one: [{item, previous, latest, change}]."""
    reviews = attach_levels(
        finalized_reviews([program])
        .select_related("scale", "reviewer_1", "reviewer_2")
        .annotate(amendment_count=Count("item_scores__amendments"))
        .order_by("visit_start", "finalized_at", "pk")
    )
    subtotals = subtotals_by_review(reviews)
    for review in reviews:
        review.subtotals = subtotals[review.pk]
    comparison = []
    if len(reviews) >= 2:
        previous, latest = reviews[-2], reviews[-1]
        scores = {
            (s.review_id, s.item.number): s.consensus_score
            for s in ItemScore.objects.filter(review__in=[previous, latest]).select_related("item")
        }
        for item in FidelityItem.objects.filter(scale=latest.scale).order_by("number"):
            before, after = scores.get((previous.pk, item.number)), scores.get((latest.pk, item.number))
            if before is None or after is None:
                change = "n/a"
            else:
                change = "improved" if after > before else "declined" if after < before else "same"
            comparison.append({"item": item, "previous": before, "latest": after, "change": change})
    return reviews, comparison


def finalized_for_viewer(programs):
    """Finalized reviews of the given (already scoped) programs, newest first, with levels."""
    return attach_levels(finalized_reviews(programs).select_related("program", "scale").order_by("-visit_start", "-pk"))
