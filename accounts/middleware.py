"""Request guards: the absolute session lifetime, NUL bytes in query strings, no caching of client data,
the second factor."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from .mfa import session_needs_second_factor
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


class TwoFactorMiddleware:
    """Sends a signed-in session that needs a second factor (accounts.mfa) and has not given one to the
    verification page (which sends a user without an authenticator on to enrolment). After django-otp's
    OTPMiddleware. The Django admin is covered like every page; log-in, log-out, the two-factor pages,
    static files and health checks are not, nor an API request carrying a token (judged by the token
    alone: a wrong one is a 401, never a fallback to the session)."""

    EXEMPT_NAMES = ("login", "logout", "mfa_verify", "mfa_setup", "password_reset", "healthz", "readyz", "health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            static = "/" + settings.STATIC_URL.lstrip("/")
            self._exempt = (*(reverse(name) for name in self.EXEMPT_NAMES), static, reverse("admin:logout"))
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(self.exempt_prefixes())
            and not _api_token_request(request)
            and session_needs_second_factor(request)
            and not user.is_verified()  # type: ignore[union-attr]  # added by OTPMiddleware
        ):
            return _to_verification(request, self.exempt_prefixes())
        return self.get_response(request)


def _api_token_request(request: HttpRequest) -> bool:
    """An API request with a token (api.authentication's keywords). Any other Authorization header
    (`Basic ...`) leaves the session in charge, so it does not skip the second factor."""
    if not request.path_info.startswith("/api/"):
        return False
    keyword = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0].lower()
    return keyword in {"bearer", "token"}


def _to_verification(request: HttpRequest, exempt: tuple[str, ...]) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Two-factor verification required: sign in again in the browser."}, status=403)
    target = resolve_url("mfa_verify")
    if request.headers.get("HX-Request") == "true":  # before django-htmx's middleware has run
        # A fragment the page loads by itself (the navigation's notification count). On the two-factor
        # pages, which show that navigation too, sending the browser to verification reloads the same
        # page, which asks for the fragment again: a reload loop. Elsewhere, come back to the page, not
        # to the fragment's address.
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        if page.path.startswith(exempt):
            return HttpResponse(status=204)
        back = page.path + (f"?{page.query}" if page.query else "") if page.path else ""
        return HttpResponseClientRedirect(target + ("?" + urlencode({"next": back}) if back else ""))
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class ExpiredSessionMiddleware:
    """A request sent by a script (htmx, the phone's outbox) that meets an expired session gets a 401 it
    understands, not the log-in page: swapped into a caseload row, that page would lose the entry.
    static/js/session.js keeps the entry and asks the user to log in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        scripted = request.headers.get("HX-Request") == "true" or request.headers.get("X-Outbox") == "1"
        if not scripted or response.status_code != 302 or request.user.is_authenticated:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        # Back to the page the request came from (htmx says which), not to the fragment's address.
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path + (f"?{page.query}" if page.query else "") if page.path else request.path
        expired = JsonResponse({"error": "session_expired", "login_url": f"{login}?{urlencode({'next': back})}"})
        expired.status_code = 401
        expired["HX-Trigger"] = "sessionExpired"
        return expired
