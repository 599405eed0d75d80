"""The one translation of the domain's refusals into HTTP answers.

RuleViolation (a ValidationError) → 400 with its field errors; EditConflict → 412 when the client
sent a stale version (If-Match / `version`), 409 when the record went; Http404 from the access layer
stays a 404 (another program's record is never confirmed to exist).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import RuleViolation
from core.locking import DELETED, EditConflict, version_of


def error_body(exc: RuleViolation) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [m for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": exc.messages}


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EditConflict):
        body = error_body(exc)
        if exc.current is not None:
            body["current_version"] = version_of(exc.current)
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED)
        body.setdefault("non_field_errors", [DELETED])
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RuleViolation):
        return Response(error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
