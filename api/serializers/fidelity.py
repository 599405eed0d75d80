"""Fidelity reviews with their item scores. Reviewer scores follow the scoring sheet's rule
(`fidelity.selectors.scoring_rows`): a reviewer sees their own, and the other reviewer's only once
both have submitted."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fidelity.models import FidelityReview, ItemScore, ReviewerScore
from fidelity.selectors import both_submitted


class ReviewerScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewerScore
        fields = ["reviewer", "score", "evidence", "data_sources", "updated_at"]


class ItemScoreSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item.number", read_only=True, help_text="The item's number on its scale.")
    title = serializers.CharField(source="item.title", read_only=True)
    reviewer_scores = serializers.SerializerMethodField()

    class Meta:
        model = ItemScore
        fields = ["item", "title", "consensus_score", "rationale", "reviewer_scores"]

    @extend_schema_field(ReviewerScoreSerializer(many=True))
    def get_reviewer_scores(self, obj: ItemScore) -> list[dict[str, Any]]:
        visible = self.context.get("visible_reviewers", set())
        rows = [rs for rs in obj.reviewer_scores.all() if rs.reviewer_id in visible]
        return ReviewerScoreSerializer(sorted(rows, key=lambda rs: rs.reviewer_id), many=True).data


class FidelityReviewSerializer(serializers.ModelSerializer):
    scale = serializers.CharField(source="scale.version", read_only=True)
    item_scores = serializers.SerializerMethodField()

    class Meta:
        model = FidelityReview
        fields = [
            "id",
            "program",
            "scale",
            "review_type",
            "visit_start",
            "visit_end",
            "period_start",
            "period_end",
            "reviewer_1",
            "reviewer_2",
            "reviewer_1_submitted_at",
            "reviewer_2_submitted_at",
            "status",
            "total_score",
            "finalized_at",
            "created_at",
            "updated_at",
            "item_scores",
        ]

    @extend_schema_field(ItemScoreSerializer(many=True))
    def get_item_scores(self, obj: FidelityReview) -> list[dict[str, Any]]:
        rows = sorted(obj.item_scores.all(), key=lambda s: s.item.number)
        viewer = getattr(self.context.get("request"), "user", None)
        visible = {obj.reviewer_1_id, obj.reviewer_2_id} if both_submitted(obj) else {getattr(viewer, "pk", None)}
        return ItemScoreSerializer(
            rows, many=True, context={**self.context, "visible_reviewers": visible - {None}}
        ).data
