"""Ending a user's sessions: what logout, deactivation and a password change do to every device."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.utils import timezone

from programs.models import User


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every unexpired session signed in as `user` except the one keyed `keep`; returns how many.

    Sessions live in the database and expire after 15 idle minutes, so the live ones are few enough to
    read; the user id is inside the signed session data, which has no index."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or ""):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


SIGNED_IN_AT = "accounts_signed_in_at"
RENEWED_AT = "accounts_renewed_at"


def renew_if_due(session: SessionBase) -> None:
    """Push the idle expiry on when the last renewal is older than SESSION_RENEW_SECONDS.

    Writing the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per
    page and fragment; once a minute keeps the idle timeout within a minute of exact."""
    now = int(time.time())
    renewed = session.get(RENEWED_AT)
    if not isinstance(renewed, int) or now - renewed >= settings.SESSION_RENEW_SECONDS:
        session[RENEWED_AT] = now  # marks the session modified: saved with a new expiry


def stamp_sign_in(session: SessionBase) -> None:
    session[SIGNED_IN_AT] = session[RENEWED_AT] = int(time.time())


def session_outlived(session: SessionBase) -> bool:
    """True when the session began more than SESSION_MAX_AGE seconds ago (or carries no start)."""
    started = session.get(SIGNED_IN_AT)
    return not isinstance(started, int) or time.time() - started > settings.SESSION_MAX_AGE


def renew_now(session: SessionBase) -> int:
    """ "Stay signed in": push the idle expiry on now; returns the seconds left."""
    session[RENEWED_AT] = int(time.time())
    return settings.SESSION_COOKIE_AGE
