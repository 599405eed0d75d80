"""/api/: the versioned endpoints (v1), the OpenAPI schema, its documentation page and the token page.

Routes are listed flat (not a router's include) so the persona × route matrix sees each one."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import metrics, pages
from .views import clients, fidelity, jobs, plans, reports

app_name = "api"

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update"}


def resource(prefix: str, viewset: Any, name: str) -> list:
    list_actions = {k: v for k, v in LIST.items() if hasattr(viewset, v)}
    detail_actions = {k: v for k, v in DETAIL.items() if hasattr(viewset, v)}
    return [
        path(f"v1/{prefix}/", viewset.as_view(list_actions, basename=name), name=f"{name}-list"),
        path(f"v1/{prefix}/<int:pk>/", viewset.as_view(detail_actions, basename=name), name=f"{name}-detail"),
    ]


urlpatterns = [
    path("v1/", reports.root, name="root"),
    *resource("clients", clients.ClientViewSet, "clients"),
    *resource("enrollments", clients.EnrollmentViewSet, "enrollments"),
    *resource("contacts", clients.ContactViewSet, "contacts"),
    *resource("benefits-sessions", clients.BenefitsSessionViewSet, "benefits-sessions"),
    *resource("career-profiles", plans.CareerProfileViewSet, "career-profiles"),
    *resource("work-history", plans.WorkHistoryViewSet, "work-history"),
    *resource("employment-plans", plans.EmploymentPlanViewSet, "employment-plans"),
    *resource("plan-steps", plans.PlanStepViewSet, "plan-steps"),
    *resource("employers", jobs.EmployerViewSet, "employers"),
    *resource("employer-contacts", jobs.EmployerContactViewSet, "employer-contacts"),
    *resource("job-starts", jobs.JobStartViewSet, "job-starts"),
    *resource("follow-along-supports", jobs.FollowAlongSupportViewSet, "follow-along-supports"),
    *resource("fidelity-reviews", fidelity.FidelityReviewViewSet, "fidelity-reviews"),
    path(
        "v1/fidelity-reviews/<int:pk>/scores/",
        fidelity.FidelityReviewViewSet.as_view({"post": "scores"}, basename="fidelity-reviews"),
        name="fidelity-reviews-scores",
    ),
    *resource("quarterly-reports", reports.QuarterlyReportViewSet, "quarterly-reports"),
    path("v1/metrics/", metrics.MetricsView.as_view(), name="metrics"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL, not inline: the Content-Security-Policy holds.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="token_revoke"),
]
