"""Reads of fidelity reviews: latest results, due dates, lists, the scoring sheets, and the state of a
review that both the pages and the services read (totals, who has submitted). Bounded queries, no
per-program loops.

Callers scope `programs` through programs/access.py first; these functions never widen it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, prefetch_related_objects
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from programs.models import Membership, Program, Role, User

from .models import (
    ActionPlanItem,
    ActionStatus,
    FidelityAnchor,
    FidelityItem,
    FidelityReview,
    FidelityScale,
    FidelitySection,
    ItemScore,
    ReviewerScore,
    ReviewStatus,
    ReviewType,
    ScoreAmendment,
)

SCORES = range(1, 6)

Programs = QuerySet[Program] | Iterable[Program | int]
Row = dict[str, Any]

# "Latest" review of a program: the most recent visit, ties broken by finalization time then id.
LATEST_ORDER = ("-visit_start", "-finalized_at", "-pk")


def _program_ids(programs: Programs) -> QuerySet[Program, int] | list[int]:
    """Accept a Program queryset (kept lazy, used as a subquery), or an iterable of programs or ids."""
    if isinstance(programs, QuerySet):
        return programs.values_list("pk", flat=True)
    return [p.pk if isinstance(p, Program) else p for p in programs]


def attach_levels(reviews: Iterable[FidelityReview]) -> list[FidelityReview]:
    """Set `.level` (FidelityLevel or None) on each review from its `total_score`; one query for the
    levels of all their scales (the reviews come with `select_related("scale")`)."""
    reviews = list(reviews)
    prefetch_related_objects(reviews, "scale__levels")
    for review in reviews:
        review.level = review.scale.level_for(review.total_score)
    return reviews


def good_fidelity_total() -> int | None:
    """The lowest total of good fidelity on the current scale (FidelityScale.good_total), for charts."""
    scale = FidelityScale.objects.filter(is_current=True).prefetch_related("levels").first()
    return scale.good_total if scale else None


def finalized_reviews(programs: Programs) -> QuerySet[FidelityReview]:
    return FidelityReview.objects.filter(program__in=_program_ids(programs), status=ReviewStatus.FINALIZED)


def latest_reviews(programs: Programs) -> dict[int, FidelityReview]:
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


# -- the state of one review --------------------------------------------------------------------------------
class IncompleteReview(Exception):
    """Raised when a total is asked of a review that is missing consensus scores."""

    def __init__(self, missing_items: list[int]):
        self.missing_items = missing_items
        super().__init__("Items without a consensus score: " + ", ".join(str(n) for n in missing_items))


def missing_consensus_items(review: FidelityReview) -> list[int]:
    """Numbers of the scale's items that have no consensus score on this review."""
    scored = review.item_scores.filter(consensus_score__isnull=False).values("item_id")
    return list(review.scale.items.exclude(pk__in=scored).order_by("number").values_list("number", flat=True))


def consensus_total(review: FidelityReview) -> int:
    """Sum of the consensus scores; raises IncompleteReview unless every item is scored."""
    missing = missing_consensus_items(review)
    if missing:
        raise IncompleteReview(missing)
    return review.item_scores.aggregate(total=Sum("consensus_score"))["total"]


def section_subtotals(review: FidelityReview) -> list[tuple[str, int, int]]:
    """[(section name, subtotal, item count)] in section order."""
    rows = (
        review.item_scores.values("item__section__number", "item__section__name")
        .annotate(subtotal=Sum("consensus_score"), items=Count("pk"))
        .order_by("item__section__number")
    )
    return [(r["item__section__name"], r["subtotal"], r["items"]) for r in rows]


def describe_items(items: Iterable[FidelityItem]) -> str:
    """'3 (Vocational generalists), 7 (Vocational unit)' for messages that name items."""
    return ", ".join(f"{item.number} ({item.title})" for item in items)


def reviewer_slot(review: FidelityReview, user: User | None) -> int | None:
    """1 or 2 when `user` is one of the review's assigned reviewers, else None."""
    if user is None or not user.pk:
        return None
    if review.reviewer_1_id == user.pk:
        return 1
    if review.reviewer_2_id == user.pk:
        return 2
    return None


def both_submitted(review: FidelityReview) -> bool:
    return bool(review.reviewer_1_submitted_at and review.reviewer_2_submitted_at)


def submitted_by(review: FidelityReview, user: User) -> bool:
    slot = reviewer_slot(review, user)
    return bool(slot and getattr(review, f"reviewer_{slot}_submitted_at"))


def unscored_items(review: FidelityReview, reviewer: User) -> list[FidelityItem]:
    """Items of the scale that `reviewer` has not scored yet, in item order."""
    scored = ReviewerScore.objects.filter(item_score__review=review, reviewer=reviewer, score__isnull=False).values(
        "item_score__item_id"
    )
    return list(review.scale.items.exclude(pk__in=scored).order_by("number"))


def eligible_reviewers_for(programs: QuerySet[Program]) -> QuerySet[User]:
    """Users who may be assigned to review the given programs: their regions' trainers (and the
    regions' or global administrators)."""
    regions = programs.values("agency__region")
    memberships = Membership.objects.filter(is_active=True).filter(
        Q(role__in=[Role.TRAINER, Role.ADMIN], region__in=regions)
        | Q(role=Role.ADMIN, region__isnull=True, program__isnull=True)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user")).order_by("last_name", "first_name")


def eligible_reviewers(program: Program) -> QuerySet[User]:
    """Users who may be assigned to review `program`."""
    return eligible_reviewers_for(Program.objects.filter(pk=program.pk))


# -- due dates and the regional picture -------------------------------------------------------------
def review_interval_months(review: FidelityReview, benchmarks: BenchmarkSettings | None = None) -> int:
    """Months to the next review after `review`: 6 until good fidelity (the scale's "good" level), then 12
    (BenchmarkSettings)."""
    benchmarks = benchmarks or BenchmarkSettings.current()
    if review.scale.is_good(review.total_score):
        return benchmarks.fidelity_interval_good_months
    return benchmarks.fidelity_interval_new_months


def next_due_date(
    last_review: FidelityReview | None, benchmarks: BenchmarkSettings | None = None
) -> datetime.date | None:
    """When the next review is due after `last_review` (a finalized review), or None when the program
    has never been reviewed (a baseline review is due now)."""
    if last_review is None:
        return None
    return last_review.visit_start + relativedelta(months=review_interval_months(last_review, benchmarks))


@dataclass
class ProgramFidelityRow:
    program: Program
    latest: FidelityReview | None  # with .level
    open_review: FidelityReview | None  # the oldest review not yet finalized
    due_date: datetime.date | None  # None when never reviewed (a baseline is due now)
    as_of: datetime.date

    @property
    def due_now(self) -> bool:
        return self.due_date is None or self.due_date <= self.as_of

    @property
    def overdue(self) -> bool:
        return self.due_date is not None and self.due_date < self.as_of and self.open_review is None

    @property
    def next_type(self) -> str:
        return ReviewType.FOLLOW_UP if self.latest else ReviewType.BASELINE


def program_rows(programs: QuerySet[Program], as_of: datetime.date) -> list[ProgramFidelityRow]:
    """One row per program: latest finalized review and level, open review, next due date.

    Five queries whatever the number of programs.
    """
    program_list = list(programs.select_related("agency__region").order_by("name"))
    latest = latest_reviews(program_list)
    open_by_program: dict[int, FidelityReview] = {}
    for review in open_reviews(program_list):
        open_by_program.setdefault(review.program_id, review)
    attach_action_progress(latest.values())
    benchmarks = BenchmarkSettings.current()
    rows = [
        ProgramFidelityRow(
            program=p,
            latest=latest.get(p.pk),
            open_review=open_by_program.get(p.pk),
            due_date=next_due_date(latest.get(p.pk), benchmarks),
            as_of=as_of,
        )
        for p in program_list
    ]
    rows.sort(key=lambda r: (r.due_date is not None, r.due_date or as_of, r.program.name))
    return rows


def attach_action_progress(reviews: Iterable[FidelityReview]) -> list[FidelityReview]:
    """Set `.actions_total` and `.actions_done` on each review from its action plan (one query)."""
    reviews = list(reviews)
    counts = {
        row["review_id"]: (row["total"], row["done"])
        for row in ActionPlanItem.objects.filter(review__in=[r.pk for r in reviews])
        .values("review_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)))
    }
    for review in reviews:
        review.actions_total, review.actions_done = counts.get(review.pk, (0, 0))
    return reviews


def open_reviews(programs: Programs) -> QuerySet[FidelityReview]:
    return (
        FidelityReview.objects.filter(program__in=_program_ids(programs))
        .exclude(status=ReviewStatus.FINALIZED)
        .select_related("program", "reviewer_1", "reviewer_2")
        .order_by("visit_start", "pk")
    )


def recent_finalized(programs: Programs, limit: int = 10) -> list[FidelityReview]:
    return attach_levels(
        finalized_reviews(programs).select_related("program", "scale").order_by("-finalized_at", "-pk")[:limit]
    )


# -- the scale, the sheets ---------------------------------------------------------------------------------
def scale_items(scale: FidelityScale) -> list[FidelityItem]:
    """The scale's items in order, with their sections and anchors (two queries)."""
    return list(
        FidelityItem.objects.filter(scale=scale)
        .select_related("section")
        .prefetch_related(Prefetch("anchors", queryset=FidelityAnchor.objects.order_by("-score")))
        .order_by("number")
    )


def _section_of(row: Row) -> FidelitySection:
    return row["item"].section


def group_by_section(
    rows: Iterable[Any], key: Callable[[Any], FidelitySection] = _section_of
) -> list[tuple[FidelitySection, list[Any]]]:
    """[(section, [rows])] in section order, keeping row order."""
    sections: list[tuple[FidelitySection, list[Any]]] = []
    for row in rows:
        section = key(row)
        if not sections or sections[-1][0].pk != section.pk:
            sections.append((section, []))
        sections[-1][1].append(row)
    return sections


def scoring_rows(review: FidelityReview, viewer: User) -> list[Row]:
    """One row per item: item (with anchors), the viewer's own ReviewerScore, and the other reviewer's
    ReviewerScore ONLY once both reviewers have submitted (the hidden-until-submitted rule)."""
    items = scale_items(review.scale)
    visible_reviewers: list[int | None] = [viewer.pk]
    if both_submitted(review):
        visible_reviewers = [review.reviewer_1_id, review.reviewer_2_id]
    scores = ReviewerScore.objects.filter(item_score__review=review, reviewer_id__in=visible_reviewers).select_related(
        "item_score"
    )
    mine: dict[int, ReviewerScore] = {}
    other: dict[int, ReviewerScore] = {}
    for rs in scores:
        (mine if rs.reviewer_id == viewer.pk else other)[rs.item_score.item_id] = rs
    return [{"item": item, "mine": mine.get(item.pk), "other": other.get(item.pk)} for item in items]


def scored_counts(review: FidelityReview) -> dict[int, int]:
    """{reviewer id: number of items that reviewer has scored} (one query)."""
    return dict(
        ReviewerScore.objects.filter(item_score__review=review, score__isnull=False)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )


def consensus_rows(review: FidelityReview) -> list[Row]:
    """Per item: both reviewers' scores side by side, the consensus row, and whether they disagree."""
    items = scale_items(review.scale)
    item_scores = {s.item_id: s for s in review.item_scores.all()}
    by_reviewer: dict[tuple[int, int | None], ReviewerScore] = {
        (rs.item_score.item_id, rs.reviewer_id): rs
        for rs in ReviewerScore.objects.filter(item_score__review=review).select_related("item_score")
    }
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


def report_rows(review: FidelityReview) -> list[Row]:
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


def subtotals_by_review(reviews: Iterable[FidelityReview]) -> dict[int, list[tuple[int, str, int, int]]]:
    """{review_id: [(section number, section name, subtotal, max)]} for many reviews in one query."""
    ids = [r.pk for r in reviews]
    result: dict[int, list[tuple[int, str, int, int]]] = {pk: [] for pk in ids}
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
def program_history(program: Program) -> tuple[list[FidelityReview], list[Row]]:
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


def finalized_for_viewer(programs: Programs) -> list[FidelityReview]:
    """Finalized reviews of the given (already scoped) programs, newest first, with levels."""
    return attach_levels(finalized_reviews(programs).select_related("program", "scale").order_by("-visit_start", "-pk"))


# -- finalization -----------------------------------------------------------------------------------------
def visit_has_ended(review: FidelityReview, today: datetime.date | None = None) -> bool:
    """Has the visit ended (its last day is past)? Scoring drafts, submissions and consensus may come
    earlier (reviewers prepare from records and score during the visit); only finalizing waits."""
    return review.visit_end < (today or timezone.localdate())


def finalize_problems(review: FidelityReview, today: datetime.date | None = None) -> tuple[list[str], list[int]]:
    """Everything that stops `review` from being finalized, as messages naming the items, and their numbers.
    The rule the finalize service enforces and the page shows beside its disabled button."""
    problems: list[str] = []
    rows = list(review.item_scores.select_related("item").prefetch_related("reviewer_scores"))
    scale_items = list(review.scale.items.order_by("number"))
    by_item = {row.item_id: row for row in rows}
    reviewers = {r for r in (review.reviewer_1_id, review.reviewer_2_id) if r}
    unscored = []
    for item in scale_items:
        row = by_item.get(item.pk)
        scored_by = {rs.reviewer_id for rs in row.reviewer_scores.all() if rs.score is not None} if row else set()
        if not reviewers <= scored_by or len(reviewers) < 2:
            unscored.append(item)
    if unscored:
        problems.append(f"Not scored by both reviewers: {describe_items(unscored)}.")
    elif not both_submitted(review):
        problems.append("Both reviewers must submit their scores.")

    def consensus(item: FidelityItem) -> int | None:
        row = by_item.get(item.pk)
        return row.consensus_score if row else None

    no_consensus = [i for i in scale_items if consensus(i) is None]
    if no_consensus:
        problems.append(f"No consensus score: {describe_items(no_consensus)}.")
    out_of_range = [i for i in scale_items if consensus(i) not in (None, *SCORES)]
    if out_of_range:
        problems.append(f"Scores must be from 1 to 5: {describe_items(out_of_range)}.")
    recommended = set(review.recommendations.filter(item__isnull=False).values_list("item_id", flat=True))
    no_recommendation = [
        i for i in scale_items if (score := consensus(i)) is not None and score < 5 and i.pk not in recommended
    ]
    if no_recommendation:
        problems.append(f"No recommendation in the report for: {describe_items(no_recommendation)}.")
    if not review.summary.strip():
        problems.append("The report needs an overall summary.")
    if not visit_has_ended(review, today):
        # A review dated after its finalization would count in a quarter that has not come yet and
        # run the next due date from a future day.
        finalizable = review.visit_end + datetime.timedelta(days=1)
        problems.append(
            f"The visit has not ended: it runs until {review.visit_end:%B %-d, %Y}; the review can be finalized"
            f" from {finalizable:%B %-d, %Y}."
        )
    items = {i.number for group in (unscored, no_consensus, out_of_range, no_recommendation) for i in group}
    return problems, sorted(items)
