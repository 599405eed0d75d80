"""What every endpoint shares: the access layer's scope, a role check, auditing, idempotency keys
and the optimistic lock's precondition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import Http404
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import Action
from audit.services import clients_of, record, record_shown
from core import idempotency
from core.locking import version_of
from programs.access import programs_for, scope

from .filters import MAX_ID

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
    """List and read records of the programs the user may see: the access layer's `scope`. The one
    base of every endpoint; a writing one adds `create`/`update` running its domain's service."""

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

    def _input(self, serializer_class: type, partial: bool = False) -> dict[str, Any]:
        data = serializer_class(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _created(self, obj: Any) -> Response:
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def _updated(self, request: Request, update: Callable[..., Any], input_class: type) -> Response:
        """PATCH through `update(obj, user=, version=, **fields)`: the fields sent, under the optimistic
        lock (the version from If-Match or the body)."""
        obj = self.get_object()
        data = self._input(input_class, partial=True)
        data.pop("version", None)
        version = expected_version(request)
        return Response(self.get_serializer(update(obj, user=request.user, version=version, **data)).data)


def replay_or_run(request: Request, run: Callable[[], Response]) -> Response:
    """POST with an `Idempotency-Key`: the first answer is stored per user and key (core.SubmissionKey,
    shared with the page forms and the phone's outbox), and a repeat gets it back without running again."""
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        return run()
    if len(key) > idempotency.MAX_LENGTH:
        raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["At most 100 characters."]})
    response, found = idempotency.run_once(
        request.user,
        key,
        request.path,
        run,
        succeeded=lambda answer: 200 <= answer.status_code < 300,
        keep=lambda answer: {"status_code": answer.status_code, "body": answer.data},
    )
    if found is None:
        return response
    if found.path != request.path:
        raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["This key was used for another endpoint."]})
    return Response(found.body, status=found.status_code, headers={"Idempotent-Replayed": "true"})


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
