"""Clients, their episodes, contacts (written through `clients.services`) and benefits sessions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from clients import services as client_services
from clients.models import BenefitsCounselingSession, Client, Contact, Enrollment

from .. import filters, inputs, serializers
from ..base import ScopedViewSet, replay_or_run
from .common import EDIT, IDEMPOTENCY, VIEW, client_of


class ClientViewSet(ScopedViewSet):
    model, capability = Client, VIEW
    serializer_class = serializers.ClientSerializer
    filterset_class = filters.ClientFilter


class EnrollmentViewSet(ScopedViewSet):
    model, capability = Enrollment, VIEW
    serializer_class = serializers.EnrollmentSerializer
    filterset_class = filters.EnrollmentFilter


class ContactViewSet(ScopedViewSet):
    model, capability, write_capability = Contact, VIEW, EDIT
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter

    @extend_schema(
        request=inputs.ContactInput, parameters=[IDEMPOTENCY], responses={201: serializers.ContactSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.ContactInput)
            client = client_of(request, data.pop("client"))
            return self._created(client_services.log_contact(client, user=request.user, **data))

        return replay_or_run(request, run)


class BenefitsSessionViewSet(ScopedViewSet):
    model, capability = BenefitsCounselingSession, VIEW
    serializer_class = serializers.BenefitsSessionSerializer
    filterset_class = filters.BenefitsSessionFilter
