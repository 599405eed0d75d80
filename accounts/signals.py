"""Session receivers: log-in stamps the session's start (for the absolute lifetime) and whether it needs a
second factor; log-out and deactivation end every session of that user, on every device."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from programs.models import User

from . import mfa
from .sessions import end_sessions, stamp_sign_in


@receiver(user_logged_in)
def _stamp(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    stamp_sign_in(request.session)
    # Decided once per log-in: pages then read it from the session (accounts.middleware).
    request.session[mfa.SESSION_KEY] = mfa.needs_second_factor(user)


@receiver(user_logged_out)
def _end_all_on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        end_sessions(user)


@receiver(post_save, sender=User)
def _end_all_on_deactivation(sender: Any, instance: User, **kwargs: Any) -> None:
    if not instance.is_active:
        end_sessions(instance)
