"""Lets services that audit their writes (without a request) record the path and address served, and
keeps refusals a service's rolled-back transaction took with it (audit.services.refusals_kept)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import refusals_kept, serving


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request), refusals_kept():
            return self.get_response(request)
