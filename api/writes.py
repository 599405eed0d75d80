"""Endpoints that write: contacts, employer contacts and job starts, through the same services as
the pages (clients.services, jobs.services). Records named by id are fetched through the access
layer first; the service checks the role again and applies the domain's rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from clients import services as client_services
from clients.models import Client, Contact
from core.errors import RuleViolation
from jobs import services as job_services
from jobs.models import Employer, EmployerContact, JobStart
from programs.access import Capability, get_scoped_or_404, scope

from . import filters, inputs, serializers
from .base import IDEMPOTENCY_HEADER, ScopedViewSet, expected_version, replay_or_run

VIEW, EDIT = Capability.VIEW_CLIENTS, Capability.EDIT_CLIENTS

IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Any unique string: a repeat with the same key returns the first answer and writes nothing.",
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="The record's ETag / `version` you started from."
)


class Readable(ScopedViewSet):
    write_capability = EDIT

    def _input(self, serializer_class: type, partial: bool = False) -> dict[str, Any]:
        data = serializer_class(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _created(self, obj: Any) -> Response:
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


def _client(request: Request, pk: int) -> Client:
    return get_scoped_or_404(Client, request.user, VIEW, pk=pk)


def _employer(request: Request, pk: int) -> Employer:
    return get_scoped_or_404(Employer, request.user, VIEW, pk=pk)


def _clients(request: Request, ids: list[int]) -> list[Client]:
    found = list(scope(Client.objects.filter(pk__in=set(ids)), request.user, VIEW))
    if len(found) != len(set(ids)):
        # One answer for missing and out-of-reach clients: nothing about other programs leaks.
        raise RuleViolation({"clients": "Choose clients of your program."})
    return found


class ContactViewSet(Readable):
    model, capability = Contact, VIEW
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter

    @extend_schema(
        request=inputs.ContactInput, parameters=[IDEMPOTENCY], responses={201: serializers.ContactSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.ContactInput)
            client = _client(request, data.pop("client"))
            return self._created(client_services.log_contact(client, user=request.user, **data))

        return replay_or_run(request, run)


class EmployerContactViewSet(Readable):
    model, capability = EmployerContact, VIEW
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
            employer = _employer(request, data.pop("employer"))
            clients = _clients(request, data.pop("clients"))
            contact = job_services.log_employer_contact(employer, user=request.user, clients=clients, **data)
            return self._created(contact)

        return replay_or_run(request, run)

    @extend_schema(request=inputs.EmployerContactUpdate, parameters=[IF_MATCH])
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        data = self._input(inputs.EmployerContactUpdate)
        data.pop("version", None)
        version = expected_version(request)
        employer = _employer(request, data.pop("employer"))
        clients = _clients(request, data.pop("clients"))
        contact = job_services.update_employer_contact(
            contact, user=request.user, employer=employer, clients=clients, version=version, **data
        )
        return Response(self.get_serializer(contact).data)


class JobStartViewSet(Readable):
    model, capability = JobStart, VIEW
    serializer_class = serializers.JobStartSerializer
    filterset_class = filters.JobStartFilter

    @extend_schema(
        request=inputs.JobStartInput, parameters=[IDEMPOTENCY], responses={201: serializers.JobStartSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def run() -> Response:
            data = self._input(inputs.JobStartInput)
            client = _client(request, data.pop("client"))
            employer_id = data.pop("employer", None)
            employer = _employer(request, employer_id) if employer_id else None
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
            data["employer"] = _employer(request, data["employer"])
        job = job_services.update_job(job, user=request.user, version=version, **data)
        return Response(self.get_serializer(job).data)
