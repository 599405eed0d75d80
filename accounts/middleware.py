"""Request guards: the absolute session lifetime, NUL bytes in query strings, no caching of client data."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .sessions import renew_if_due, session_outlived


class SessionLifetimeMiddleware:
    """Signs out a session older than SESSION_MAX_AGE however active it is, and renews the idle
    expiry (SESSION_COOKIE_AGE) of an active one, at most once per SESSION_RENEW_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if session_outlived(request.session):
                logout(request)  # ends this user's other sessions too (accounts.signals)
            else:
                renew_if_due(request.session)
        return self.get_response(request)


class QueryStringGuardMiddleware:
    """Answers 400 to a query string carrying a NUL byte: no page reads one, and PostgreSQL refuses
    NUL in text (it would otherwise surface as a 500 wherever a parameter reaches a query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in unquote_plus(query) or any("\x00" in key for key in request.GET):
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.")
        return self.get_response(request)


class NoStoreMiddleware:
    """Every response to a signed-in user may carry client data (pages, fragments, CSV, XLSX, PDF):
    browsers and proxies must not keep a copy (Cache-Control: no-store, private)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated  # before the view: a log-out answer is covered too
        response = self.get_response(request)
        if signed_in:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
