"""What the endpoints share: the header parameters of the schema and records named by id in a body,
fetched through the access layer (another program's id is a 404, like a page)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from clients.models import Client
from core.errors import RuleViolation
from jobs.models import Employer
from programs.access import Capability, get_scoped_or_404, scope

from ..base import IDEMPOTENCY_HEADER

VIEW, EDIT, AGGREGATES = Capability.VIEW_CLIENTS, Capability.EDIT_CLIENTS, Capability.VIEW_AGGREGATES

IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Any unique string: a repeat with the same key returns the first answer and writes nothing.",
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="The record's ETag / `version` you started from."
)


def client_of(request: Request, pk: int) -> Client:
    return get_scoped_or_404(Client, request.user, VIEW, pk=pk)


def employer_of(request: Request, pk: int) -> Employer:
    return get_scoped_or_404(Employer, request.user, VIEW, pk=pk)


def clients_of(request: Request, ids: list[int]) -> list[Client]:
    found = list(scope(Client.objects.filter(pk__in=set(ids)), request.user, VIEW))
    if len(found) != len(set(ids)):
        # One answer for missing and out-of-reach clients: nothing about other programs leaks.
        raise RuleViolation({"clients": "Choose clients of your program."})
    return found
