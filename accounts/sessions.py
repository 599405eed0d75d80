"""Ending a user's sessions: what logout, deactivation and a password change do to every device."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
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
