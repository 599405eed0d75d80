"""The IPS-25 fidelity scale as data, and fidelity reviews scored against it.

Item texts, anchors and level cut-offs are rows (loaded by a data migration from
fidelity/data/ips25_2008.json), so a new scale version is data, not code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from programs.models import Program, TimeStamped

SCORE_RANGE = Q(score__gte=1, score__lte=5)
# The level code from which a program has good fidelity (then reviewed yearly rather than half-yearly).
GOOD = "good"


def level_of(levels: Iterable[FidelityLevel], total: int | None) -> FidelityLevel | None:
    """The level whose [min_total, max_total] holds `total`; None without a total or outside the levels.
    The one rule for a total's level: every page, list and report goes through it."""
    if total is None:
        return None
    return next((level for level in levels if level.min_total <= total <= level.max_total), None)


class FidelityScale(models.Model):
    version = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_scale")
        ]

    def __str__(self):
        return self.version

    @property
    def max_total(self) -> int:
        return self.items.count() * 5

    # `levels.all()` below reads a prefetch of "levels" when there is one (selectors.attach_levels).
    def level_for(self, total: int | None) -> FidelityLevel | None:
        return level_of(self.levels.all(), total)

    @property
    def good_total(self) -> int | None:
        """The lowest total of good fidelity: the floor of the scale's "good" level row."""
        return next((level.min_total for level in self.levels.all() if level.code == GOOD), None)

    def is_good(self, total: int | None) -> bool:
        """Good fidelity or better (a total at or above the "good" level's floor)."""
        good = self.good_total
        return total is not None and good is not None and total >= good


class FidelitySection(models.Model):
    scale = models.ForeignKey(FidelityScale, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["scale", "number"]
        constraints = [models.UniqueConstraint(fields=["scale", "number"], name="section_unique_number")]

    def __str__(self):
        return self.name


class FidelityItem(models.Model):
    scale = models.ForeignKey(FidelityScale, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(FidelitySection, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    description = models.TextField()
    # Which program-data suggestion informs this item (None when only interviews can).
    data_hint = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["scale", "number"]
        constraints = [models.UniqueConstraint(fields=["scale", "number"], name="item_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class FidelityAnchor(models.Model):
    item = models.ForeignKey(FidelityItem, on_delete=models.CASCADE, related_name="anchors")
    score = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["item", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["item", "score"], name="anchor_unique_score"),
            models.CheckConstraint(name="anchor_score_1_to_5", condition=SCORE_RANGE),
        ]

    def __str__(self):
        return f"{self.item.number}/{self.score}"


class FidelityLevel(models.Model):
    """Cut-offs as data: 115-125 exemplary, 100-114 good, 74-99 fair, <= 73 not supported."""

    scale = models.ForeignKey(FidelityScale, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(max_length=32)
    name = models.CharField(max_length=80)
    min_total = models.PositiveSmallIntegerField()
    max_total = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scale", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="level_unique_code"),
            models.CheckConstraint(name="level_range_ordered", condition=Q(max_total__gte=F("min_total"))),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_total}-{self.max_total})"


class ReviewType(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SCORING = "scoring", "Scoring"
    CONSENSUS = "consensus", "Consensus"
    FINALIZED = "finalized", "Finalized"


class FidelityReview(TimeStamped):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="fidelity_reviews")
    scale = models.ForeignKey(FidelityScale, on_delete=models.PROTECT, related_name="reviews")
    review_type = models.CharField(max_length=20, choices=ReviewType.choices, default=ReviewType.FOLLOW_UP)
    visit_start = models.DateField()
    visit_end = models.DateField()
    period_start = models.DateField(help_text="First day of the program data the review looks at.")
    period_end = models.DateField()
    reviewer_1 = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_1_submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer_2_submitted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED)
    strengths = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    # Kept on the row when finalized, so lists and history need no re-summing.
    total_score = models.PositiveSmallIntegerField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    program_path = "program"

    # Set on review lists by fidelity.selectors (attach_levels, attach_action_progress, program_history).
    level: FidelityLevel | None
    actions_total: int
    actions_done: int
    subtotals: list[tuple[int, str, int, int]]

    class Meta:
        ordering = ["-visit_start"]
        constraints = [
            models.CheckConstraint(
                name="review_visit_end_after_start",
                condition=Q(visit_end__gte=F("visit_start")),
                violation_error_message="The visit cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="review_period_end_after_start",
                condition=Q(period_end__gte=F("period_start")),
                violation_error_message="The review period cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="review_two_different_reviewers",
                condition=Q(reviewer_2__isnull=True) | ~Q(reviewer_2=F("reviewer_1")),
                violation_error_message="The two reviewers must be different people.",
            ),
            models.CheckConstraint(
                name="review_total_in_range",
                condition=Q(total_score__isnull=True) | Q(total_score__gte=25, total_score__lte=125),
            ),
            models.CheckConstraint(
                name="review_finalized_has_total",
                condition=~Q(status=ReviewStatus.FINALIZED) | Q(total_score__isnull=False, finalized_at__isnull=False),
                violation_error_message="A finalized review has a total and a finalization time.",
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=~Q(status=ReviewStatus.FINALIZED) & ~Q(review_type=ReviewType.SELF_ASSESSMENT),
                name="review_one_open_external_per_program",
                violation_error_message="This program already has an external review in progress.",
            ),
        ]
        indexes = [models.Index(fields=["program", "status", "visit_start"])]

    def __str__(self):
        return f"{self.get_review_type_display()} review of {self.program} ({self.visit_start})"


class ItemScore(TimeStamped):
    """The agreed (consensus) score for one item of one review, with its rationale."""

    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="item_scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    consensus_score = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True)

    program_path = "review__program"

    class Meta:
        ordering = ["review", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="item_score_unique"),
            models.CheckConstraint(
                name="consensus_score_1_to_5",
                condition=Q(consensus_score__isnull=True) | Q(consensus_score__gte=1, consensus_score__lte=5),
                violation_error_message="Scores run from 1 to 5.",
            ),
        ]

    def __str__(self):
        return f"{self.review_id} item {self.item.number}: {self.consensus_score}"


class DataSource(models.TextChoices):
    INTERVIEWS = "interviews", "Interviews"
    OBSERVATION = "observation", "Observation"
    CHART_REVIEW = "chart_review", "Chart review"
    PROGRAM_DATA = "program_data", "Program data"


class ReviewerScore(TimeStamped):
    """One reviewer's independent score of one item (hidden from the other until both submit)."""

    item_score = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="reviewer_scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    data_sources = models.JSONField(default=list, blank=True)

    program_path = "item_score__review__program"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item_score", "reviewer"], name="reviewer_score_unique"),
            models.CheckConstraint(
                name="reviewer_score_1_to_5",
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                violation_error_message="Scores run from 1 to 5.",
            ),
        ]


class Recommendation(TimeStamped):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="recommendations")
    item = models.ForeignKey(FidelityItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    program_path = "review__program"

    class Meta:
        ordering = ["review", "item__number", "pk"]

    def __str__(self):
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionPlanItem(TimeStamped):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="action_items")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    description = models.TextField()
    owner = models.CharField(max_length=120)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress_note = models.TextField(blank=True)

    program_path = "review__program"

    class Meta:
        ordering = ["review", "due_date", "pk"]

    def __str__(self):
        return self.description[:60]


class ScoreAmendment(models.Model):
    """A correction to a finalized consensus score: explicit, with a reason, never silent."""

    item_score = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="amendments")
    old_score = models.PositiveSmallIntegerField()
    new_score = models.PositiveSmallIntegerField()
    reason = models.TextField()
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(auto_now_add=True)

    program_path = "item_score__review__program"

    class Meta:
        ordering = ["-amended_at"]
        constraints = [
            models.CheckConstraint(
                name="amendment_scores_1_to_5",
                condition=Q(old_score__gte=1, old_score__lte=5, new_score__gte=1, new_score__lte=5),
            ),
        ]

    def __str__(self):
        return f"Item {self.item_score.item.number}: {self.old_score} -> {self.new_score}"
