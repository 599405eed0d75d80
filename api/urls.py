"""/api/: the versioned endpoints (v1), the OpenAPI schema, its documentation page and the token page.

Routes are listed flat (not a router's include) so the persona × route matrix sees each one."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import metrics, pages, views, writes

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
    path("v1/", views.root, name="root"),
    *resource("clients", views.ClientViewSet, "clients"),
    *resource("enrollments", views.EnrollmentViewSet, "enrollments"),
    *resource("contacts", writes.ContactViewSet, "contacts"),
    *resource("employers", views.EmployerViewSet, "employers"),
    *resource("employer-contacts", writes.EmployerContactViewSet, "employer-contacts"),
    *resource("job-starts", writes.JobStartViewSet, "job-starts"),
    *resource("follow-along-supports", views.FollowAlongSupportViewSet, "follow-along-supports"),
    *resource("benefits-sessions", views.BenefitsSessionViewSet, "benefits-sessions"),
    *resource("quarterly-reports", views.QuarterlyReportViewSet, "quarterly-reports"),
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
