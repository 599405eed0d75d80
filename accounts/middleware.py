"""Request guards: the absolute session lifetime."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from .sessions import session_outlived


class SessionLifetimeMiddleware:
    """Signs out a session older than SESSION_MAX_AGE however active it is (the idle timeout is
    SESSION_COOKIE_AGE, renewed on every request by SESSION_SAVE_EVERY_REQUEST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_outlived(request.session):
            logout(request)  # ends this user's other sessions too (accounts.signals)
        return self.get_response(request)
