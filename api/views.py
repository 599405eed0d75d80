"""Read endpoints: every list and record through the access layer (`programs.access.scope`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clients.models import BenefitsCounselingSession, Client, Enrollment
from jobs.models import Employer, FollowAlongSupport
from programs.access import Capability
from reports.models import QuarterlyReport
from reports.quarterly.selectors import visible_reports

from . import filters, serializers
from .base import ScopedViewSet

VIEW, AGGREGATES = Capability.VIEW_CLIENTS, Capability.VIEW_AGGREGATES


class ClientViewSet(ScopedViewSet):
    model, capability = Client, VIEW
    serializer_class = serializers.ClientSerializer
    filterset_class = filters.ClientFilter


class EnrollmentViewSet(ScopedViewSet):
    model, capability = Enrollment, VIEW
    serializer_class = serializers.EnrollmentSerializer
    filterset_class = filters.EnrollmentFilter


class BenefitsSessionViewSet(ScopedViewSet):
    model, capability = BenefitsCounselingSession, VIEW
    serializer_class = serializers.BenefitsSessionSerializer
    filterset_class = filters.BenefitsSessionFilter


class FollowAlongSupportViewSet(ScopedViewSet):
    model, capability = FollowAlongSupport, VIEW
    serializer_class = serializers.FollowAlongSupportSerializer
    filterset_class = filters.SupportFilter


class EmployerViewSet(ScopedViewSet):
    # Employers are program aggregates (trainers see them on the pages too), not client records.
    model, capability = Employer, AGGREGATES
    serializer_class = serializers.EmployerSerializer
    filterset_class = filters.EmployerFilter


class QuarterlyReportViewSet(ScopedViewSet):
    model, capability = QuarterlyReport, AGGREGATES
    serializer_class = serializers.QuarterlyReportSerializer
    filterset_class = filters.QuarterlyReportFilter

    def get_queryset(self) -> Any:
        # Program reports for supervisors, region reports for region staff: the reports pages' selector.
        return visible_reports(self.request.user)


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
        "quarterly-reports",
    ]
    links = {name: reverse(f"api:{name}-list", request=request) for name in names}
    links["metrics"] = reverse("api:metrics", request=request)
    return Response(links)
