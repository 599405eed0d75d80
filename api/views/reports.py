"""Quarterly reports (read, and a request to generate: 202 with a status URL) and the API's root."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.errors import RuleViolation
from programs.models import Program, Region
from reports.models import QuarterlyReport
from reports.quarterly import services as quarterly
from reports.quarterly.selectors import report_programs_for, report_regions_for, visible_reports

from .. import filters, serializers
from ..base import ScopedViewSet, replay_or_run
from ..filters import MAX_ID
from .common import AGGREGATES, IDEMPOTENCY


class ReportRequest(drf_serializers.Serializer):
    program = drf_serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    region = drf_serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    quarter = drf_serializers.CharField(help_text="An ended quarter, e.g. 2026Q3.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("program")) == bool(attrs.get("region")):
            raise drf_serializers.ValidationError({"program": "Give a program or a region (one of them)."})
        return attrs


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def root(request: Request, format: Any = None) -> Response:
    names = [
        "clients",
        "enrollments",
        "contacts",
        "employers",
        "employer-contacts",
        "job-starts",
        "follow-along-supports",
        "benefits-sessions",
        "career-profiles",
        "work-history",
        "employment-plans",
        "plan-steps",
        "fidelity-reviews",
        "quarterly-reports",
    ]
    links = {name: reverse(f"api:{name}-list", request=request) for name in names}
    links["metrics"] = reverse("api:metrics", request=request)
    return Response(links)


class QuarterlyReportViewSet(ScopedViewSet):
    model, capability = QuarterlyReport, AGGREGATES
    # Who may request which report is the service's question (program supervisors, region staff): 404.
    write_capability = AGGREGATES
    serializer_class = serializers.QuarterlyReportSerializer
    filterset_class = filters.QuarterlyReportFilter

    def get_queryset(self) -> Any:
        # Program reports for supervisors, region reports for region staff: the reports pages' selector.
        return visible_reports(self.request.user)

    @extend_schema(
        request=ReportRequest,
        parameters=[IDEMPOTENCY],
        responses={202: serializers.QuarterlyReportSerializer},
        description="Generate a new version of a program's or a region's report of an ended quarter. Answered "
        "202 at once, with the report's URL in Location: poll it until `status` is done or failed.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = ReportRequest(data=request.data)
            data.is_valid(raise_exception=True)
            user = request.user
            target: Program | Region
            if data.validated_data.get("region"):
                target = get_object_or_404(report_regions_for(user), pk=data.validated_data["region"])
            else:
                target = get_object_or_404(report_programs_for(user), pk=data.validated_data["program"])
            try:
                period = quarterly.parse_quarter(data.validated_data["quarter"])
            except RuleViolation as exc:
                raise RuleViolation({"quarter": exc.messages}) from exc
            # The service audits the request in its own transaction.
            report, _ = quarterly.request_report(target, period, user=user)
            url = reverse("api:quarterly-reports-detail", kwargs={"pk": report.pk}, request=request)
            body = {**self.get_serializer(report).data, "status_url": url}
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})

        return replay_or_run(request, run)
