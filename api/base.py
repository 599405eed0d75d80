"""What every endpoint shares: the access layer's scope, a role check, auditing, idempotency keys
and the optimistic lock's precondition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import Http404
from rest_framework import exceptions, permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import Action
from audit.services import clients_of, record, record_shown
from core.locking import version_of
from programs.access import programs_for, scope

from .filters import MAX_ID
from .models import IdempotencyKey

IDEMPOTENCY_HEADER = "Idempotency-Key"


def audit(request: Request, action: str, obj: models.Model | None = None, **detail: Any) -> None:
    """Audit like the pages do; the user comes from DRF (a token user is not on the Django request)."""
    record(request._request, action, obj, user=request.user, detail={"via": "api", **detail})


def audit_list(request: Request, model: type[models.Model], rows: list[Any], api: str) -> None:
    """One audit entry for a page of a list: the ids and the clients they are about (one query)."""
    record_shown(
        request._request,
        model._meta.label_lower,
        [row.pk for row in rows],
        clients=clients_of(model, [row.pk for row in rows]),
        user=request.user,
        detail={"via": "api", "api": api},
    )


class HoldsCapability(permissions.BasePermission):
    """403 for a role that never holds the view's capability (a trainer asking for client records);
    which records of which program stays the access layer's question (404 / filtered lists)."""

    message = "Your role does not give access to these records."

    def has_permission(self, request: Request, view: Any) -> bool:
        # A read-only endpoint has no write capability: a write reaches no handler and is a 405
        # (it was a KeyError, a 500, found by the route matrix's POSTs).
        writing = request.method not in permissions.SAFE_METHODS and view.write_capability
        capability = view.write_capability if writing else view.capability
        return bool(request.user and request.user.is_authenticated) and programs_for(request.user, capability).exists()


class ScopedViewSet(viewsets.GenericViewSet):
    """List and read records of the programs the user may see: the access layer's `scope`."""

    model: type[models.Model]
    capability: str
    write_capability: str = ""
    ordering = ("-pk",)
    ordering_fields = ("id", "updated_at")
    permission_classes = (HoldsCapability,)
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def get_queryset(self) -> Any:
        qs = self.model._default_manager.select_related(*self.select).prefetch_related(*self.prefetch)
        return scope(qs, self.request.user, self.capability)

    def get_object(self) -> Any:
        if int(self.kwargs.get("pk", 0)) > MAX_ID:
            raise Http404("No such record.")  # no id is that large (and SQLite would overflow)
        return super().get_object()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page or [])
        audit_list(request, self.model, rows, self.basename)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        audit(request, Action.VIEW, obj, api=self.basename)
        response = Response(self.get_serializer(obj).data)
        if version_of(obj):
            response["ETag"] = f'"{version_of(obj)}"'
        return response


def replay_or_run(request: Request, run: Callable[[], Response]) -> Response:
    """POST with an `Idempotency-Key`: the first answer is stored per user and key, and a repeat gets it
    back without running again (as the phone forms' retry-safe submissions do)."""
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        return run()
    if len(key) > 100:
        raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["At most 100 characters."]})
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is not None:
        if stored.path != request.path:
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["This key was used for another endpoint."]})
        return Response(stored.body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})
    try:
        with transaction.atomic():
            response = run()
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    user=request.user, key=key, path=request.path, status_code=response.status_code, body=response.data
                )
    except IntegrityError:
        # The same key raced in from another request: that one won and its write stands; ours is undone.
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return Response(stored.body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})
    return response


def expected_version(request: Request) -> str:
    """The version an update starts from: If-Match (an ETag) or `version` in the body; 428 without."""
    header = (request.headers.get("If-Match") or "").strip()
    if header.startswith("W/"):
        header = header[2:]
    value = header.strip('"') or str(request.data.get("version") or "")
    if not value:
        raise PreconditionRequired()
    return value


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send the version you started from, as If-Match or `version`, so newer saves are not overwritten."
    default_code = "precondition_required"
