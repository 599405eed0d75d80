"""Career profiles, work history, employment plans and plan steps: read through the access layer,
written through `clients.services` (the career-profile and plan pages' functions)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from clients import services as client_services
from clients.models import CareerProfile, EmploymentPlan, PlanStep, WorkHistoryEntry
from core.errors import RuleViolation
from programs.access import get_scoped_or_404

from .. import filters, inputs, serializers
from ..base import ScopedViewSet, replay_or_run
from .common import EDIT, IDEMPOTENCY, IF_MATCH, VIEW, client_of


class CareerProfileViewSet(ScopedViewSet):
    model, capability, write_capability = CareerProfile, VIEW, EDIT
    serializer_class = serializers.CareerProfileSerializer
    filterset_class = filters.CareerProfileFilter
    select = ("client",)

    @extend_schema(
        request=inputs.CareerProfileInput,
        parameters=[IDEMPOTENCY],
        responses={201: serializers.CareerProfileSerializer},
        description="Create the client's career profile (a client has one; it exists already: 400).",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.CareerProfileInput)
            client = client_of(request, data.pop("client"))
            if CareerProfile.objects.filter(client=client).exists():
                raise RuleViolation({"client": "This client has a career profile: update it (PATCH)."})
            return self._created(client_services.save_career_profile(client, user=request.user, **data))

        return replay_or_run(request, run)

    @extend_schema(request=inputs.CareerProfileUpdate, parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def update(profile: CareerProfile, **fields: Any) -> CareerProfile:
            return client_services.save_career_profile(profile.client, **fields)

        return self._updated(request, update, inputs.CareerProfileUpdate)


class WorkHistoryViewSet(ScopedViewSet):
    model, capability, write_capability = WorkHistoryEntry, VIEW, EDIT
    serializer_class = serializers.WorkHistorySerializer
    filterset_class = filters.WorkHistoryFilter
    select = ("profile",)

    @extend_schema(
        request=inputs.WorkHistoryInput, parameters=[IDEMPOTENCY], responses={201: serializers.WorkHistorySerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.WorkHistoryInput)
            client = client_of(request, data.pop("client"))
            return self._created(client_services.add_past_job(client, user=request.user, **data))

        return replay_or_run(request, run)

    @extend_schema(request=inputs.WorkHistoryUpdate, parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._updated(request, client_services.update_past_job, inputs.WorkHistoryUpdate)


class EmploymentPlanViewSet(ScopedViewSet):
    model, capability, write_capability = EmploymentPlan, VIEW, EDIT
    serializer_class = serializers.EmploymentPlanSerializer
    filterset_class = filters.EmploymentPlanFilter

    @extend_schema(
        request=inputs.PlanInput,
        parameters=[IDEMPOTENCY],
        responses={201: serializers.EmploymentPlanSerializer},
        description="A new current plan for the client; the previous current plan stops being current.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.PlanInput)
            client = client_of(request, data.pop("client"))
            return self._created(client_services.start_plan(client, user=request.user, **data))

        return replay_or_run(request, run)

    @extend_schema(request=inputs.PlanUpdate, parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._updated(request, client_services.update_plan, inputs.PlanUpdate)


class PlanStepViewSet(ScopedViewSet):
    model, capability, write_capability = PlanStep, VIEW, EDIT
    serializer_class = serializers.PlanStepSerializer
    filterset_class = filters.PlanStepFilter

    @extend_schema(request=inputs.StepInput, parameters=[IDEMPOTENCY], responses={201: serializers.PlanStepSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.StepInput)
            plan = get_scoped_or_404(EmploymentPlan, request.user, VIEW, pk=data.pop("plan"))
            return self._created(client_services.add_step(plan, user=request.user, **data))

        return replay_or_run(request, run)

    @extend_schema(request=inputs.StepUpdate, parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._updated(request, client_services.update_step, inputs.StepUpdate)
