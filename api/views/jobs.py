"""Employers, employer contacts and job starts (written through `jobs.services`), follow-along supports."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from jobs import services as job_services
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart

from .. import filters, inputs, serializers
from ..base import ScopedViewSet, expected_version, replay_or_run
from .common import AGGREGATES, EDIT, IDEMPOTENCY, IF_MATCH, VIEW, client_of, clients_of, employer_of


class EmployerViewSet(ScopedViewSet):
    # Employers are program aggregates (trainers see them on the pages too), not client records.
    model, capability = Employer, AGGREGATES
    serializer_class = serializers.EmployerSerializer
    filterset_class = filters.EmployerFilter


class EmployerContactViewSet(ScopedViewSet):
    model, capability, write_capability = EmployerContact, VIEW, EDIT
    serializer_class = serializers.EmployerContactSerializer
    filterset_class = filters.EmployerContactFilter
    prefetch = ("clients",)

    @extend_schema(
        request=inputs.EmployerContactInput,
        parameters=[IDEMPOTENCY],
        responses={201: serializers.EmployerContactSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.EmployerContactInput)
            employer = employer_of(request, data.pop("employer"))
            clients = clients_of(request, data.pop("clients"))
            contact = job_services.log_employer_contact(employer, user=request.user, clients=clients, **data)
            return self._created(contact)

        return replay_or_run(request, run)

    @extend_schema(request=inputs.EmployerContactUpdate, parameters=[IF_MATCH])
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        data = self._input(inputs.EmployerContactUpdate)
        data.pop("version", None)
        version = expected_version(request)
        employer = employer_of(request, data.pop("employer"))
        clients = clients_of(request, data.pop("clients"))
        contact = job_services.update_employer_contact(
            contact, user=request.user, employer=employer, clients=clients, version=version, **data
        )
        return Response(self.get_serializer(contact).data)


class JobStartViewSet(ScopedViewSet):
    model, capability, write_capability = JobStart, VIEW, EDIT
    serializer_class = serializers.JobStartSerializer
    filterset_class = filters.JobStartFilter

    @extend_schema(
        request=inputs.JobStartInput, parameters=[IDEMPOTENCY], responses={201: serializers.JobStartSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.JobStartInput)
            client = client_of(request, data.pop("client"))
            employer_id = data.pop("employer", None)
            employer = employer_of(request, employer_id) if employer_id else None
            job, _ = job_services.record_job_start(client, user=request.user, employer=employer, **data)
            return self._created(job)

        return replay_or_run(request, run)

    @extend_schema(request=inputs.JobStartUpdate, parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        data = self._input(inputs.JobStartUpdate, partial=True)
        data.pop("version", None)
        version = expected_version(request)
        if "employer" in data:
            data["employer"] = employer_of(request, data["employer"])
        job = job_services.update_job(job, user=request.user, version=version, **data)
        return Response(self.get_serializer(job).data)


class FollowAlongSupportViewSet(ScopedViewSet):
    model, capability = FollowAlongSupport, VIEW
    serializer_class = serializers.FollowAlongSupportSerializer
    filterset_class = filters.SupportFilter
