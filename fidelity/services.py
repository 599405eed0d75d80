"""Fidelity review business rules: scheduling, independent scoring, consensus, report, finalization,
amendments, action plans. Views and a later API call these functions with the acting `user`.

Each write first reaches the review through the access layer (another region's review is a 404, as
in the views), then checks the workflow rules (who may do what, in which state) and raises
RuleViolation with messages naming the items at fault (`.items` holds their numbers). Reads shared
with the pages (totals, who submitted, due dates) are in selectors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation
from core.locking import EditConflict, lock, version_of
from programs.access import Capability, can, get_scoped_or_404
from programs.models import Program, User

from .events import ReviewEvent, announce
from .models import (
    ActionPlanItem,
    ActionStatus,
    DataSource,
    FidelityItem,
    FidelityReview,
    FidelityScale,
    ItemScore,
    Recommendation,
    ReviewerScore,
    ReviewStatus,
    ReviewType,
    ScoreAmendment,
)
from .selectors import (
    SCORES,
    both_submitted,
    consensus_total,
    describe_items,
    eligible_reviewers,
    finalize_problems,
    reviewer_slot,
    submitted_by,
    unscored_items,
)


# -- who may do what ----------------------------------------------------------------------------------
def is_admin_for(user: User, program: Program | int) -> bool:
    return can(user, Capability.ADMINISTER, program)


def can_score(review: FidelityReview, user: User) -> bool:
    """Only the assigned reviewers score (an administrator scores when assigned as a reviewer)."""
    return reviewer_slot(review, user) is not None and can(user, Capability.REVIEW_FIDELITY, review.program_id)


def can_lead(review: FidelityReview, user: User) -> bool:
    """Record consensus, write the report, finalize, amend: either assigned reviewer or an administrator."""
    return can_score(review, user) or is_admin_for(user, review.program_id)


def can_manage_plan(review: FidelityReview, user: User) -> bool:
    """The program's supervisor (or an administrator) owns the action plan of a finalized review."""
    return review.status == ReviewStatus.FINALIZED and can(user, Capability.MANAGE_PROGRAM, review.program_id)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RuleViolation(message)


def _require_open(review: FidelityReview) -> None:
    _require(
        review.status != ReviewStatus.FINALIZED,
        "This review is finalized and its scores are locked. Corrections are made as amendments.",
    )


def _reach(review: FidelityReview, user: User) -> None:
    """404 unless the review's program is one the user has any fidelity access to (the access layer)."""
    get_scoped_or_404(FidelityReview.objects.all(), user, Capability.VIEW_FIDELITY_REPORT, pk=review.pk)


def _open_for_lead(review: FidelityReview, user: User, version: str | None, action: str) -> FidelityReview:
    """The review locked for a lead's edit (consensus, report): reachable, still open, `user` may lead."""
    _reach(review, user)
    review = lock(review, version)
    _require_open(review)
    _require(can_lead(review, user), f"Only the assigned reviewers or an administrator can {action}.")
    return review


# -- scheduling -------------------------------------------------------------------------------------------
@transaction.atomic
def schedule_review(
    *,
    user: User,
    program: Program,
    review_type: str,
    visit_start: datetime.date,
    visit_end: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    reviewer_1: User | None,
    reviewer_2: User | None,
    scale: FidelityScale | None = None,
) -> FidelityReview:
    """Create a review with an empty consensus row for each item of the scale."""
    get_scoped_or_404(Program.objects.all(), user, Capability.VIEW_FIDELITY_REPORT, pk=program.pk)
    _require(can(user, Capability.REVIEW_FIDELITY, program), "You cannot schedule reviews for this program.")
    if reviewer_1 is None or reviewer_2 is None:
        raise RuleViolation("A review needs two reviewers.")
    _require(reviewer_1.pk != reviewer_2.pk, "The two reviewers must be different people.")
    chosen = {reviewer_1.pk, reviewer_2.pk}
    eligible = set(eligible_reviewers(program).filter(pk__in=chosen).values_list("pk", flat=True))
    _require(eligible == chosen, "Reviewers must be trainers of the program's region.")
    _require(visit_end >= visit_start, "The visit cannot end before it starts.")
    _require(period_end >= period_start, "The review period cannot end before it starts.")
    _require(
        review_type == ReviewType.SELF_ASSESSMENT
        or not FidelityReview.objects.filter(program=program)
        .exclude(status=ReviewStatus.FINALIZED)
        .exclude(review_type=ReviewType.SELF_ASSESSMENT)
        .exists(),
        "This program already has a review in progress: finish it before scheduling another.",
    )
    scale = scale or FidelityScale.objects.get(is_current=True)
    review = FidelityReview.objects.create(
        program=program,
        scale=scale,
        review_type=review_type,
        visit_start=visit_start,
        visit_end=visit_end,
        period_start=period_start,
        period_end=period_end,
        reviewer_1=reviewer_1,
        reviewer_2=reviewer_2,
        status=ReviewStatus.SCHEDULED,
    )
    ItemScore.objects.bulk_create(ItemScore(review=review, item=item) for item in scale.items.all())
    record(None, Action.CREATE, review, user=user, detail={"step": "schedule"})
    announce(review, ReviewEvent.SCHEDULED)
    return review


# -- independent scoring ------------------------------------------------------------------------------
@dataclass
class ScoreEntry:
    score: int | str | None = None
    evidence: str = ""
    data_sources: tuple[str, ...] = ()


def _score_of(value: int | str | None, item_number: int) -> int | None:
    """A score from 1 to 5 out of form input; blank is no score."""
    if value is None or value == "":
        return None
    score = int(value)
    if score not in SCORES:
        raise RuleViolation(f"Item {item_number}: scores run from 1 to 5.", items=[item_number])
    return score


def _clean_entry(item_number: int, entry: ScoreEntry) -> tuple[int | None, str, list[str]]:
    score = _score_of(entry.score, item_number)
    sources = [s for s in DataSource.values if s in set(entry.data_sources or ())]
    return score, (entry.evidence or "").strip(), sources


def _open_for_scoring(review: FidelityReview, user: User) -> FidelityReview:
    _reach(review, user)
    review = lock(review)
    _require_open(review)
    _require(can_score(review, user), "Only the review's assigned reviewers can score it.")
    _require(not submitted_by(review, user), "You have already submitted your scores.")
    return review


def sheet_version(review: FidelityReview, user: User) -> str:
    """The version of one reviewer's scoring sheet: that of their most recently saved score ("" before any)."""
    latest = ReviewerScore.objects.filter(item_score__review=review, reviewer=user).order_by("-updated_at").first()
    return version_of(latest)


@transaction.atomic
def save_reviewer_scores(
    review: FidelityReview, entries: dict[int, ScoreEntry], *, user: User, version: str | None = None
) -> FidelityReview:
    """Save the user's draft scores: `entries` maps item number -> ScoreEntry. Unscored items are allowed.
    `version` (sheet_version when the sheet was opened) refuses a save from an out-of-date sheet, e.g. the
    same reviewer's second device, instead of wiping the newer scores (EditConflict)."""
    review = _open_for_scoring(review, user)  # the review's row lock serializes saves of its sheets
    if version is not None and sheet_version(review, user) != version:
        raise EditConflict(
            "You saved these scores from another window or device since this sheet was opened. "
            "The saved scores are shown beside yours; check them, then save again.",
            current=review,
        )
    item_scores = {s.item.number: s for s in review.item_scores.select_related("item")}
    existing = {rs.item_score_id: rs for rs in ReviewerScore.objects.filter(item_score__review=review, reviewer=user)}
    to_create, to_update = [], []
    for number, entry in entries.items():
        item_score = item_scores.get(int(number))
        if item_score is None:
            raise RuleViolation(f"Item {number} is not on this review's scale.")
        score, evidence, sources = _clean_entry(int(number), entry)
        row = existing.get(item_score.pk)
        if row is None:
            to_create.append(
                ReviewerScore(
                    item_score=item_score, reviewer=user, score=score, evidence=evidence, data_sources=sources
                )
            )
        elif (row.score, row.evidence, row.data_sources) != (score, evidence, sources):
            row.score, row.evidence, row.data_sources = score, evidence, sources
            row.updated_at = timezone.now()
            to_update.append(row)
    ReviewerScore.objects.bulk_create(to_create)
    ReviewerScore.objects.bulk_update(to_update, ["score", "evidence", "data_sources", "updated_at"])
    if review.status == ReviewStatus.SCHEDULED:
        review.status = ReviewStatus.SCORING
        review.save(update_fields=["status", "updated_at"])
    record(None, Action.UPDATE, review, user=user, detail={"step": "score"})
    return review


def submit_problem(review: FidelityReview, user: User) -> RuleViolation | None:
    """What stops `user` from submitting (unscored items), or None: checked before the confirmation step."""
    missing = unscored_items(review, user)
    if not missing:
        return None
    return RuleViolation(
        f"Score every item before submitting. Not scored yet: {describe_items(missing)}.",
        items=[i.number for i in missing],
    )


@transaction.atomic
def submit_scores(review: FidelityReview, *, user: User) -> FidelityReview:
    """Submit the user's scores: every item must be scored. Both submitted -> consensus stage."""
    review = _open_for_scoring(review, user)
    problem = submit_problem(review, user)
    if problem is not None:
        raise problem
    slot = reviewer_slot(review, user)
    setattr(review, f"reviewer_{slot}_submitted_at", timezone.now())
    review.status = ReviewStatus.CONSENSUS if both_submitted(review) else ReviewStatus.SCORING
    review.save(update_fields=[f"reviewer_{slot}_submitted_at", "status", "updated_at"])
    record(None, Action.UPDATE, review, user=user, detail={"step": "submit"})
    if review.status == ReviewStatus.CONSENSUS:
        announce(review, ReviewEvent.SCORES_SUBMITTED)
    return review


# -- consensus ----------------------------------------------------------------------------------------------
@transaction.atomic
def record_consensus(
    review: FidelityReview,
    entries: dict[int, tuple[int | str | None, str]],
    *,
    user: User,
    version: str | None = None,
) -> FidelityReview:
    """Record agreed scores: `entries` maps item number -> (score or None, rationale).

    Partial saves are allowed; an item where the two reviewers disagreed needs a rationale.
    `version` (the review's version when the form was opened) refuses a save over someone else's newer one.
    """
    review = _open_for_lead(review, user, version, "record consensus")
    _require(both_submitted(review), "Consensus starts once both reviewers have submitted their scores.")
    rows = {s.item.number: s for s in review.item_scores.select_related("item").prefetch_related("reviewer_scores")}
    needs_rationale: list[FidelityItem] = []
    changed: list[ItemScore] = []
    for number, (given, rationale) in entries.items():
        row = rows.get(int(number))
        if row is None:
            raise RuleViolation(f"Item {number} is not on this review's scale.")
        score = _score_of(given, int(number))
        rationale = (rationale or "").strip()
        independent = {rs.score for rs in row.reviewer_scores.all()}
        if score is not None and len(independent) > 1 and not rationale:
            needs_rationale.append(row.item)
        if (row.consensus_score, row.rationale) != (score, rationale):
            row.consensus_score, row.rationale, row.updated_at = score, rationale, timezone.now()
            changed.append(row)
    if needs_rationale:
        raise RuleViolation(
            "Give the rationale for the agreed score where the reviewers disagreed: "
            f"{describe_items(needs_rationale)}.",
            items=[i.number for i in needs_rationale],
        )
    ItemScore.objects.bulk_update(changed, ["consensus_score", "rationale", "updated_at"])
    review.save(update_fields=["updated_at"])
    record(None, Action.UPDATE, review, user=user, detail={"step": "consensus"})
    return review


# -- report -------------------------------------------------------------------------------------------------
def items_needing_recommendation(review: FidelityReview) -> list[FidelityItem]:
    """Items whose consensus score is below 5 (each needs a recommendation in the report)."""
    return [
        s.item for s in review.item_scores.select_related("item").filter(consensus_score__lt=5).order_by("item__number")
    ]


@transaction.atomic
def save_report(
    review: FidelityReview,
    *,
    user: User,
    strengths: str,
    summary: str,
    recommendations: dict[int, str],
    version: str | None = None,
) -> FidelityReview:
    """Strengths, overall summary and one recommendation per item below 5 (`recommendations`: number -> text)."""
    review = _open_for_lead(review, user, version, "write the report")
    needed = items_needing_recommendation(review)
    texts = {int(k): (v or "").strip() for k, v in recommendations.items()}
    missing = [item for item in needed if not texts.get(item.number)]
    if missing:
        raise RuleViolation(
            f"Write a recommendation for each item scored below 5: {describe_items(missing)}.",
            items=[i.number for i in missing],
        )
    review.strengths, review.summary = strengths.strip(), summary.strip()
    review.save(update_fields=["strengths", "summary", "updated_at"])
    existing = {r.item_id: r for r in review.recommendations.filter(item__isnull=False)}
    items = {s.item.number: s.item for s in review.item_scores.select_related("item")}
    for number, text in texts.items():
        item = items.get(number)
        if item is None:
            continue
        row = existing.get(item.pk)
        if row is None:
            if text:
                Recommendation.objects.create(review=review, item=item, text=text)
        elif text and row.text != text:
            row.text = text
            row.save(update_fields=["text", "updated_at"])
        elif not text and not row.action_items.exists():
            row.delete()
    record(None, Action.UPDATE, review, user=user, detail={"step": "report"})
    return review


# -- finalization ---------------------------------------------------------------------------------------------
@transaction.atomic
def finalize_review(review: FidelityReview, *, user: User) -> FidelityReview:
    """Lock the review: total stored, no more edits (amendments only)."""
    review = _open_for_lead(review, user, None, "finalize the review")
    problems, items = finalize_problems(review)
    if problems:
        raise RuleViolation(["The review cannot be finalized yet.", *problems], items=items)
    review.total_score = consensus_total(review)
    review.status = ReviewStatus.FINALIZED
    review.finalized_at = timezone.now()
    review.finalized_by = user
    review.save(update_fields=["total_score", "status", "finalized_at", "finalized_by", "updated_at"])
    record(None, Action.UPDATE, review, user=user, detail={"step": "finalize"})
    announce(review, ReviewEvent.FINALIZED)
    return review


@transaction.atomic
def amend_score(
    review: FidelityReview, *, user: User, item_number: int, new_score: int | str, reason: str
) -> ScoreAmendment:
    """Correct a finalized consensus score, with a reason kept in the history; total updated."""
    _reach(review, user)
    review = lock(review)
    _require(review.status == ReviewStatus.FINALIZED, "Only finalized reviews are amended; edit the consensus instead.")
    _require(can_lead(review, user), "Only the assigned reviewers or an administrator can amend scores.")
    _require(bool((reason or "").strip()), "Give the reason for the amendment.")
    score = int(new_score)
    _require(score in SCORES, "Scores run from 1 to 5.")
    row = review.item_scores.select_related("item").select_for_update().filter(item__number=item_number).first()
    if row is None or row.consensus_score is None:
        raise RuleViolation(f"Item {item_number} is not on this review's scale.")
    _require(row.consensus_score != score, f"Item {item_number} already has the score {score}.")
    amendment = ScoreAmendment.objects.create(
        item_score=row, old_score=row.consensus_score, new_score=score, reason=reason.strip(), amended_by=user
    )
    row.consensus_score = score
    row.save(update_fields=["consensus_score", "updated_at"])
    review.total_score = consensus_total(review)
    review.save(update_fields=["total_score", "updated_at"])
    record(None, Action.CREATE, amendment, user=user, detail={"step": "amend"})
    record(None, Action.UPDATE, review, user=user, detail={"step": "amend", "amendment": amendment.pk})
    return amendment


# -- action plan ----------------------------------------------------------------------------------------------
def _require_own_recommendation(review: FidelityReview, recommendation: Recommendation | None) -> None:
    _require(
        recommendation is None or recommendation.review_id == review.pk,
        "That recommendation belongs to another review.",
    )


@transaction.atomic
def add_action_item(
    review: FidelityReview,
    *,
    user: User,
    description: str,
    owner: str,
    due_date: datetime.date | None = None,
    recommendation: Recommendation | None = None,
    status: str = ActionStatus.OPEN,
    progress_note: str = "",
) -> ActionPlanItem:
    _reach(review, user)
    _require(can_manage_plan(review, user), "Only the program's supervisor adds action plan items.")
    _require_own_recommendation(review, recommendation)
    _require(status in ActionStatus.values, "Unknown status.")
    action = ActionPlanItem.objects.create(
        review=review,
        description=description,
        owner=owner,
        due_date=due_date,
        recommendation=recommendation,
        status=status,
        progress_note=progress_note,
    )
    record(None, Action.CREATE, action, user=user)
    return action


ACTION_FIELDS = {"description", "owner", "due_date", "status", "progress_note", "recommendation"}


@transaction.atomic
def update_action_item(
    action: ActionPlanItem, *, user: User, version: str | None = None, **changes: Any
) -> ActionPlanItem:
    """Change an action item's status, progress note, owner, due date, description or recommendation."""
    _reach(action.review, user)
    _require(can_manage_plan(action.review, user), "Only the program's supervisor updates the action plan.")
    action = lock(action, version)
    unknown = set(changes) - ACTION_FIELDS
    _require(not unknown, f"Cannot change {', '.join(sorted(unknown))}.")
    if "status" in changes:
        _require(changes["status"] in ActionStatus.values, "Unknown status.")
    if "recommendation" in changes:
        _require_own_recommendation(action.review, changes["recommendation"])
    for name, value in changes.items():
        setattr(action, name, value)
    action.save()
    record(None, Action.UPDATE, action, user=user)
    return action
