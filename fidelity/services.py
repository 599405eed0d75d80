"""Fidelity review business rules: scheduling, independent scoring, consensus, report, finalization,
amendments, action plans, due dates. Views and a later API call these functions; they check the
workflow rules (who may do what, in which state) and raise ReviewRuleError with a message naming
the items at fault. Region scoping (404 for other regions) is the caller's job via programs/access.py.

Totals and levels: cut-offs come from FidelityLevel rows.
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from core.locking import EditConflict, version_of
from programs.access import Capability, can
from programs.models import Membership, Program, Role, User

from .models import (
    ActionPlanItem,
    ActionStatus,
    DataSource,
    FidelityLevel,
    FidelityReview,
    FidelityScale,
    ItemScore,
    Recommendation,
    ReviewerScore,
    ReviewStatus,
    ReviewType,
    ScoreAmendment,
)

SCORES = range(1, 6)


class IncompleteReview(Exception):
    """Raised when a total is asked of a review that is missing consensus scores."""

    def __init__(self, missing_items):
        self.missing_items = missing_items
        super().__init__("Items without a consensus score: " + ", ".join(str(n) for n in missing_items))


class ReviewRuleError(Exception):
    """A workflow rule refused the action; `messages` say why (and name the items)."""

    def __init__(self, *messages, items=None):
        self.messages = [m for m in messages if m]
        self.items = items or []
        super().__init__(" ".join(self.messages))


# -- totals and levels ------------------------------------------------------------------------------
def level_for(scale, total):
    """The FidelityLevel whose [min_total, max_total] holds `total`, or None outside the scale."""
    if total is None:
        return None
    return FidelityLevel.objects.filter(scale=scale, min_total__lte=total, max_total__gte=total).first()


def missing_consensus_items(review):
    """Numbers of the scale's items that have no consensus score on this review."""
    scored = review.item_scores.filter(consensus_score__isnull=False).values("item_id")
    return list(review.scale.items.exclude(pk__in=scored).order_by("number").values_list("number", flat=True))


def consensus_total(review):
    """Sum of the consensus scores; raises IncompleteReview unless every item is scored."""
    missing = missing_consensus_items(review)
    if missing:
        raise IncompleteReview(missing)
    return review.item_scores.aggregate(total=Sum("consensus_score"))["total"]


def section_subtotals(review):
    """[(section name, subtotal, item count)] in section order."""
    rows = (
        review.item_scores.values("item__section__number", "item__section__name")
        .annotate(subtotal=Sum("consensus_score"), items=Count("pk"))
        .order_by("item__section__number")
    )
    return [(r["item__section__name"], r["subtotal"], r["items"]) for r in rows]


def describe_items(items):
    """'3 (Vocational generalists), 7 (Vocational unit)' for messages that name items."""
    return ", ".join(f"{item.number} ({item.title})" for item in items)


# -- who may do what ----------------------------------------------------------------------------------
def is_admin_for(user, program):
    return can(user, Capability.ADMINISTER, program)


def reviewer_slot(review, user):
    """1 or 2 when `user` is one of the review's assigned reviewers, else None."""
    if user is None or not getattr(user, "pk", None):
        return None
    if review.reviewer_1_id == user.pk:
        return 1
    if review.reviewer_2_id == user.pk:
        return 2
    return None


def can_score(review, user):
    """Only the assigned reviewers score (an administrator scores when assigned as a reviewer)."""
    return reviewer_slot(review, user) is not None and can(user, Capability.REVIEW_FIDELITY, review.program_id)


def can_lead(review, user):
    """Record consensus, write the report, finalize, amend: either assigned reviewer or an administrator."""
    return can_score(review, user) or is_admin_for(user, review.program_id)


def both_submitted(review):
    return bool(review.reviewer_1_submitted_at and review.reviewer_2_submitted_at)


def submitted_by(review, user):
    slot = reviewer_slot(review, user)
    return bool(slot and getattr(review, f"reviewer_{slot}_submitted_at"))


def eligible_reviewers_for(programs):
    """Users who may be assigned to review the given programs: their regions' trainers (and the
    regions' or global administrators)."""
    regions = programs.values("agency__region")
    memberships = Membership.objects.filter(is_active=True).filter(
        Q(role__in=[Role.TRAINER, Role.ADMIN], region__in=regions)
        | Q(role=Role.ADMIN, region__isnull=True, program__isnull=True)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user")).order_by("last_name", "first_name")


def eligible_reviewers(program):
    """Users who may be assigned to review `program`."""
    return eligible_reviewers_for(Program.objects.filter(pk=program.pk))


def _require(condition, message):
    if not condition:
        raise ReviewRuleError(message)


def _require_open(review):
    _require(
        review.status != ReviewStatus.FINALIZED,
        "This review is finalized and its scores are locked. Corrections are made as amendments.",
    )


def _check_version(obj, version):
    """Optimistic locking: refuse to write over a newer save than the one the form was opened on."""
    if version is not None and version != version_of(obj):
        raise EditConflict(
            "Someone else saved this while you were editing it. Their version is shown; check it and save again."
        )


def _lock(review):
    """Re-read the review under a row lock so two concurrent writes apply one after the other."""
    return FidelityReview.objects.select_for_update().select_related("program__agency", "scale").get(pk=review.pk)


# -- scheduling -------------------------------------------------------------------------------------------
@transaction.atomic
def schedule_review(
    *,
    program,
    review_type,
    visit_start,
    visit_end,
    period_start,
    period_end,
    reviewer_1,
    reviewer_2,
    by,
    scale=None,
):
    """Create a review with an empty consensus row for each item of the scale."""
    _require(can(by, Capability.REVIEW_FIDELITY, program), "You cannot schedule reviews for this program.")
    _require(reviewer_1 is not None and reviewer_2 is not None, "A review needs two reviewers.")
    _require(reviewer_1.pk != reviewer_2.pk, "The two reviewers must be different people.")
    chosen = {reviewer_1.pk, reviewer_2.pk}
    eligible = set(eligible_reviewers(program).filter(pk__in=chosen).values_list("pk", flat=True))
    _require(
        eligible == chosen,
        "Reviewers must be trainers of the program's region.",
    )
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
    return review


# -- independent scoring ------------------------------------------------------------------------------
@dataclass
class ScoreEntry:
    score: int | None = None
    evidence: str = ""
    data_sources: tuple = ()


def _clean_entry(item_number, entry):
    score = entry.score
    if score in ("", None):
        score = None
    else:
        score = int(score)
        if score not in SCORES:
            raise ReviewRuleError(f"Item {item_number}: scores run from 1 to 5.", items=[item_number])
    sources = [s for s in DataSource.values if s in set(entry.data_sources or ())]
    return score, (entry.evidence or "").strip(), sources


@transaction.atomic
def save_reviewer_scores(review, reviewer, entries):
    """Save a reviewer's draft: `entries` maps item number -> ScoreEntry. Unscored items are allowed."""
    review = _lock(review)
    _require_open(review)
    _require(can_score(review, reviewer), "Only the review's assigned reviewers can score it.")
    _require(not submitted_by(review, reviewer), "You have already submitted your scores.")
    item_scores = {s.item.number: s for s in review.item_scores.select_related("item")}
    existing = {
        rs.item_score_id: rs for rs in ReviewerScore.objects.filter(item_score__review=review, reviewer=reviewer)
    }
    to_create, to_update = [], []
    for number, entry in entries.items():
        item_score = item_scores.get(int(number))
        if item_score is None:
            raise ReviewRuleError(f"Item {number} is not on this review's scale.")
        score, evidence, sources = _clean_entry(number, entry)
        row = existing.get(item_score.pk)
        if row is None:
            to_create.append(
                ReviewerScore(
                    item_score=item_score, reviewer=reviewer, score=score, evidence=evidence, data_sources=sources
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
    return review


def unscored_items(review, reviewer):
    """Items of the scale that `reviewer` has not scored yet, in item order."""
    scored = ReviewerScore.objects.filter(item_score__review=review, reviewer=reviewer, score__isnull=False).values(
        "item_score__item_id"
    )
    return list(review.scale.items.exclude(pk__in=scored).order_by("number"))


@transaction.atomic
def submit_scores(review, reviewer):
    """Submit a reviewer's scores: every item must be scored. Both submitted -> consensus stage."""
    review = _lock(review)
    _require_open(review)
    _require(can_score(review, reviewer), "Only the review's assigned reviewers can score it.")
    _require(not submitted_by(review, reviewer), "You have already submitted your scores.")
    missing = unscored_items(review, reviewer)
    if missing:
        raise ReviewRuleError(
            f"Score every item before submitting. Not scored yet: {describe_items(missing)}.",
            items=[i.number for i in missing],
        )
    slot = reviewer_slot(review, reviewer)
    setattr(review, f"reviewer_{slot}_submitted_at", timezone.now())
    review.status = ReviewStatus.CONSENSUS if both_submitted(review) else ReviewStatus.SCORING
    review.save(update_fields=[f"reviewer_{slot}_submitted_at", "status", "updated_at"])
    return review


# -- consensus ----------------------------------------------------------------------------------------------
@transaction.atomic
def record_consensus(review, by, entries, *, version=None):
    """Record agreed scores: `entries` maps item number -> (score or None, rationale).

    Partial saves are allowed; an item where the two reviewers disagreed needs a rationale.
    `version` (the review's updated_at as ISO text) refuses a save over someone else's newer one.
    """
    review = _lock(review)
    _require_open(review)
    _require(can_lead(review, by), "Only the assigned reviewers or an administrator can record consensus.")
    _require(both_submitted(review), "Consensus starts once both reviewers have submitted their scores.")
    _check_version(review, version)
    rows = {s.item.number: s for s in review.item_scores.select_related("item").prefetch_related("reviewer_scores")}
    needs_rationale, changed = [], []
    for number, (score, rationale) in entries.items():
        row = rows.get(int(number))
        if row is None:
            raise ReviewRuleError(f"Item {number} is not on this review's scale.")
        score = None if score in ("", None) else int(score)
        if score is not None and score not in SCORES:
            raise ReviewRuleError(f"Item {number}: scores run from 1 to 5.", items=[int(number)])
        rationale = (rationale or "").strip()
        independent = {rs.score for rs in row.reviewer_scores.all()}
        if score is not None and len(independent) > 1 and not rationale:
            needs_rationale.append(row.item)
        if (row.consensus_score, row.rationale) != (score, rationale):
            row.consensus_score, row.rationale, row.updated_at = score, rationale, timezone.now()
            changed.append(row)
    if needs_rationale:
        raise ReviewRuleError(
            "Give the rationale for the agreed score where the reviewers disagreed: "
            f"{describe_items(needs_rationale)}.",
            items=[i.number for i in needs_rationale],
        )
    ItemScore.objects.bulk_update(changed, ["consensus_score", "rationale", "updated_at"])
    review.save(update_fields=["updated_at"])
    return review


# -- report -------------------------------------------------------------------------------------------------
def items_needing_recommendation(review):
    """Items whose consensus score is below 5 (each needs a recommendation in the report)."""
    return [
        s.item for s in review.item_scores.select_related("item").filter(consensus_score__lt=5).order_by("item__number")
    ]


@transaction.atomic
def save_report(review, by, *, strengths, summary, recommendations, version=None):
    """Strengths, overall summary and one recommendation per item below 5 (`recommendations`: number -> text)."""
    review = _lock(review)
    _require_open(review)
    _require(can_lead(review, by), "Only the assigned reviewers or an administrator can write the report.")
    _check_version(review, version)
    needed = items_needing_recommendation(review)
    texts = {int(k): (v or "").strip() for k, v in recommendations.items()}
    missing = [item for item in needed if not texts.get(item.number)]
    if missing:
        raise ReviewRuleError(
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
        if text and row is None:
            Recommendation.objects.create(review=review, item=item, text=text)
        elif text and row.text != text:
            row.text = text
            row.save(update_fields=["text", "updated_at"])
        elif not text and row is not None and not row.action_items.exists():
            row.delete()
    return review


# -- finalization ---------------------------------------------------------------------------------------------
def finalize_problems(review):
    """Everything that stops `review` from being finalized, as messages naming the items."""
    problems, items = [], set()
    rows = list(review.item_scores.select_related("item").prefetch_related("reviewer_scores"))
    scale_items = list(review.scale.items.order_by("number"))
    by_item = {row.item_id: row for row in rows}
    reviewers = [r for r in (review.reviewer_1_id, review.reviewer_2_id) if r]
    unscored = []
    for item in scale_items:
        row = by_item.get(item.pk)
        scored_by = {rs.reviewer_id for rs in row.reviewer_scores.all() if rs.score is not None} if row else set()
        if not set(reviewers) <= scored_by or len(reviewers) < 2:
            unscored.append(item)
    if unscored:
        problems.append(f"Not scored by both reviewers: {describe_items(unscored)}.")
    elif not both_submitted(review):
        problems.append("Both reviewers must submit their scores.")
    no_consensus = [i for i in scale_items if by_item.get(i.pk) is None or by_item[i.pk].consensus_score is None]
    if no_consensus:
        problems.append(f"No consensus score: {describe_items(no_consensus)}.")
    out_of_range = [i for i in scale_items if i.pk in by_item and by_item[i.pk].consensus_score not in (None, *SCORES)]
    if out_of_range:
        problems.append(f"Scores must be from 1 to 5: {describe_items(out_of_range)}.")
    recommended = set(review.recommendations.filter(item__isnull=False).values_list("item_id", flat=True))
    no_recommendation = [
        i
        for i in scale_items
        if i.pk in by_item
        and by_item[i.pk].consensus_score is not None
        and by_item[i.pk].consensus_score < 5
        and i.pk not in recommended
    ]
    if no_recommendation:
        problems.append(f"No recommendation in the report for: {describe_items(no_recommendation)}.")
    if not review.summary.strip():
        problems.append("The report needs an overall summary.")
    for group in (unscored, no_consensus, out_of_range, no_recommendation):
        items.update(i.number for i in group)
    return problems, sorted(items)


@transaction.atomic
def finalize_review(review, by):
    """Lock the review: total stored, no more edits (amendments only)."""
    review = _lock(review)
    _require_open(review)
    _require(can_lead(review, by), "Only the assigned reviewers or an administrator can finalize the review.")
    problems, items = finalize_problems(review)
    if problems:
        raise ReviewRuleError("The review cannot be finalized yet.", *problems, items=items)
    review.total_score = consensus_total(review)
    review.status = ReviewStatus.FINALIZED
    review.finalized_at = timezone.now()
    review.finalized_by = by
    review.save(update_fields=["total_score", "status", "finalized_at", "finalized_by", "updated_at"])
    return review


@transaction.atomic
def amend_score(review, by, *, item_number, new_score, reason):
    """Correct a finalized consensus score, with a reason kept in the history; total updated."""
    review = _lock(review)
    _require(review.status == ReviewStatus.FINALIZED, "Only finalized reviews are amended; edit the consensus instead.")
    _require(can_lead(review, by), "Only the assigned reviewers or an administrator can amend scores.")
    _require(bool((reason or "").strip()), "Give the reason for the amendment.")
    new_score = int(new_score)
    _require(new_score in SCORES, "Scores run from 1 to 5.")
    row = review.item_scores.select_related("item").select_for_update().filter(item__number=item_number).first()
    _require(row is not None, f"Item {item_number} is not on this review's scale.")
    _require(row.consensus_score != new_score, f"Item {item_number} already has the score {new_score}.")
    amendment = ScoreAmendment.objects.create(
        item_score=row, old_score=row.consensus_score, new_score=new_score, reason=reason.strip(), amended_by=by
    )
    row.consensus_score = new_score
    row.save(update_fields=["consensus_score", "updated_at"])
    review.total_score = consensus_total(review)
    review.save(update_fields=["total_score", "updated_at"])
    return amendment


# -- action plan ----------------------------------------------------------------------------------------------
def can_manage_plan(review, user):
    """The program's supervisor (or an administrator) owns the action plan of a finalized review."""
    return review.status == ReviewStatus.FINALIZED and can(user, Capability.MANAGE_PROGRAM, review.program_id)


@transaction.atomic
def add_action_item(
    review, by, *, description, owner, due_date=None, recommendation=None, status=ActionStatus.OPEN, progress_note=""
):
    _require(can_manage_plan(review, by), "Only the program's supervisor adds action plan items.")
    _require_own_recommendation(review, recommendation)
    _require(status in ActionStatus.values, "Unknown status.")
    return ActionPlanItem.objects.create(
        review=review,
        description=description,
        owner=owner,
        due_date=due_date,
        recommendation=recommendation,
        status=status,
        progress_note=progress_note,
    )


def _require_own_recommendation(review, recommendation):
    _require(
        recommendation is None or recommendation.review_id == review.pk,
        "That recommendation belongs to another review.",
    )


@transaction.atomic
def update_action_item(action, by, *, version=None, **changes):
    """Change an action item's status, progress note, owner, due date or description."""
    _require(can_manage_plan(action.review, by), "Only the program's supervisor updates the action plan.")
    action = ActionPlanItem.objects.select_for_update().select_related("review").get(pk=action.pk)
    _check_version(action, version)
    allowed = {"description", "owner", "due_date", "status", "progress_note", "recommendation"}
    unknown = set(changes) - allowed
    _require(not unknown, f"Cannot change {', '.join(sorted(unknown))}.")
    if "status" in changes:
        _require(changes["status"] in ActionStatus.values, "Unknown status.")
    if "recommendation" in changes:
        _require_own_recommendation(action.review, changes["recommendation"])
    for name, value in changes.items():
        setattr(action, name, value)
    action.save()
    return action


# -- due dates ------------------------------------------------------------------------------------------------
def review_interval_months(total, benchmarks=None):
    """Months to the next review after a review with `total`: 6 until good fidelity, then 12 (settings)."""
    benchmarks = benchmarks or BenchmarkSettings.current()
    if total is not None and total >= benchmarks.fidelity_good_total:
        return benchmarks.fidelity_interval_good_months
    return benchmarks.fidelity_interval_new_months


def next_due_date(last_review, benchmarks=None):
    """When the next review is due after `last_review` (a finalized review), or None when the program
    has never been reviewed (a baseline review is due now)."""
    if last_review is None:
        return None
    months = review_interval_months(last_review.total_score, benchmarks)
    return last_review.visit_start + relativedelta(months=months)
