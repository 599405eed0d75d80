from django.contrib import admin

from programs.access import Capability
from programs.admin_mixins import ReferenceDataAdmin, ScopedAdmin, ScopedChoicesMixin

from .models import (
    ActionPlanItem,
    FidelityAnchor,
    FidelityItem,
    FidelityLevel,
    FidelityReview,
    FidelityScale,
    FidelitySection,
    ItemScore,
    Recommendation,
    ReviewerScore,
    ScoreAmendment,
)


class FidelityAnchorInline(admin.TabularInline):
    model = FidelityAnchor
    extra = 0


@admin.register(FidelityScale)
class FidelityScaleAdmin(ReferenceDataAdmin):
    list_display = ["version", "name", "is_current"]


@admin.register(FidelitySection)
class FidelitySectionAdmin(ReferenceDataAdmin):
    list_display = ["number", "name", "scale"]
    list_filter = ["scale"]


@admin.register(FidelityItem)
class FidelityItemAdmin(ReferenceDataAdmin):
    list_display = ["number", "title", "section", "data_hint", "scale"]
    list_filter = ["scale", "section"]
    search_fields = ["title", "description"]
    inlines = [FidelityAnchorInline]


@admin.register(FidelityLevel)
class FidelityLevelAdmin(ReferenceDataAdmin):
    list_display = ["name", "min_total", "max_total", "scale"]
    list_filter = ["scale"]


class ItemScoreInline(ScopedChoicesMixin, admin.TabularInline):
    model = ItemScore
    extra = 0
    fields = ["item", "consensus_score", "rationale"]
    autocomplete_fields = ["item"]


@admin.register(FidelityReview)
class FidelityReviewAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["program", "review_type", "visit_start", "status", "total_score", "reviewer_1", "reviewer_2"]
    list_filter = ["status", "review_type", "program__agency__region", "program"]
    search_fields = ["program__name"]
    date_hierarchy = "visit_start"
    list_select_related = ["program", "reviewer_1", "reviewer_2"]
    inlines = [ItemScoreInline]


@admin.register(ItemScore)
class ItemScoreAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["review", "item", "consensus_score"]
    list_filter = ["consensus_score", "review__program"]
    list_select_related = ["review__program", "item"]


@admin.register(ReviewerScore)
class ReviewerScoreAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["item_score", "reviewer", "score"]
    list_filter = ["score"]
    list_select_related = ["item_score__review__program", "item_score__item", "reviewer"]


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["review", "item", "text"]
    list_filter = ["review__program"]
    search_fields = ["text"]


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["description", "review", "owner", "due_date", "status"]
    list_filter = ["status", "review__program"]
    search_fields = ["description", "owner"]


@admin.register(ScoreAmendment)
class ScoreAmendmentAdmin(ScopedAdmin):
    capability = Capability.REVIEW_FIDELITY
    list_display = ["item_score", "old_score", "new_score", "amended_by", "amended_at"]
    readonly_fields = ["item_score", "old_score", "new_score", "reason", "amended_by", "amended_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FidelityAnchor)
class FidelityAnchorAdmin(ReferenceDataAdmin):
    list_display = ["item", "score", "text"]
    list_filter = ["score", "item__scale"]
    search_fields = ["text", "item__title"]
    list_select_related = ["item"]
