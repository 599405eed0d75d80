"""Fidelity reviews with item scores. Program staff read their program's finalized reviews; the
region's reviewers (trainers, administrators) read reviews in any state. Reviewer scores follow the
scoring sheet's hidden-until-both-submitted rule. Assigned reviewers score through `fidelity.services`."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from fidelity import services as fidelity_services
from fidelity.models import FidelityReview, ItemScore, ReviewStatus
from programs.access import Capability, get_scoped_or_404, programs_for, scope

from .. import filters, inputs, serializers
from ..base import ScopedViewSet

READ, REVIEW = Capability.VIEW_FIDELITY_REPORT, Capability.REVIEW_FIDELITY


class FidelityReviewViewSet(ScopedViewSet):
    model, capability, write_capability = FidelityReview, READ, REVIEW
    serializer_class = serializers.FidelityReviewSerializer
    filterset_class = filters.FidelityReviewFilter

    def get_queryset(self) -> Any:
        user = self.request.user
        reviews = FidelityReview.objects.select_related("scale").prefetch_related(
            Prefetch("item_scores", ItemScore.objects.select_related("item").prefetch_related("reviewer_scores"))
        )
        # As on the pages: an unfinished review only for the region's reviewers.
        visible = Q(status=ReviewStatus.FINALIZED) | Q(program__in=programs_for(user, REVIEW))
        return scope(reviews, user, READ).filter(visible)

    @extend_schema(
        request=inputs.ScoresInput,
        responses={200: serializers.FidelityReviewSerializer},
        description="An assigned reviewer saves their scores (a draft; `submit` submits them). The other "
        "reviewer's scores stay hidden until both have submitted.",
    )
    def scores(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        review = get_scoped_or_404(FidelityReview, request.user, REVIEW, pk=self.kwargs["pk"])
        if not fidelity_services.can_score(review, request.user):
            raise Http404("No such review.")  # as the scoring page: only its two reviewers
        data = self._input(inputs.ScoresInput)
        entries = {
            row["item"]: fidelity_services.ScoreEntry(
                score=row.get("score"),
                evidence=row.get("evidence", ""),
                data_sources=tuple(row.get("data_sources", ())),
            )
            for row in data.get("scores", [])
        }
        # The services write the audit entries, inside their transactions.
        fidelity_services.save_reviewer_scores(review, entries, user=request.user, version=data.get("version"))
        if data["submit"]:
            fidelity_services.submit_scores(review, user=request.user)
        response = Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data)
        response["Sheet-Version"] = fidelity_services.sheet_version(review, request.user)
        return response
