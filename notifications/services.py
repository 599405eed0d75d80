"""Delivering notifications (in the app, by e-mail, as each user chose) and the user's own changes:
marking read, choosing what to receive."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import record
from programs.access import roles_of
from programs.models import Role, User

from .models import Kind, Notification, Preference

logger = logging.getLogger(__name__)

# Which kinds a role is offered on the preferences page (and receives).
KINDS_BY_ROLE: dict[str, list[str]] = {
    Role.SPECIALIST: [Kind.DAILY_DIGEST],
    Role.SUPERVISOR: [Kind.WEEKLY_DIGEST],
    Role.TRAINER: [Kind.REVIEW_SCHEDULED, Kind.SCORES_SUBMITTED, Kind.REPORT_FINALIZED],
    Role.ADMIN: [Kind.REVIEW_SCHEDULED, Kind.SCORES_SUBMITTED, Kind.REPORT_FINALIZED],
}


def kinds_for(user: User) -> list[str]:
    roles = roles_of(user)
    offered = {kind for role in roles for kind in KINDS_BY_ROLE.get(role, [])}
    return [kind for kind in Kind.values if kind in offered]


def channels(user: User, kind: str) -> tuple[bool, bool]:
    """(in the app, by e-mail) for this user and kind; both on until the user says otherwise."""
    preference = Preference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return True, True
    return preference.in_app, preference.email


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def deliver(*, user: User, kind: str, key: str, title: str, lines: Iterable[str], link: str) -> Notification | None:
    """Notify `user` once per `key`, in the app and/or by e-mail as they chose. The text must hold
    counts and links only, never a client's name: it may leave the system by e-mail."""
    if not user.is_active:
        return None
    in_app, by_email = channels(user, kind)
    if not (in_app or by_email):
        return None
    body = "\n".join(lines)
    try:
        with transaction.atomic():
            note, created = Notification.objects.get_or_create(
                user=user, key=key, defaults={"kind": kind, "title": title, "body": body, "link": link, "shown": in_app}
            )
            if created:
                record(None, Action.CREATE, note, user=None, detail={"kind": kind, "for": user.pk})
    except IntegrityError:  # the same key delivered at the same moment by another run
        return None
    if not created:
        return note
    if by_email and user.email:
        _email(user, note)
    return note


def _email(user: User, note: Notification) -> None:
    text = [note.body, "", f"Open it: {absolute(note.link)}" if note.link else ""]
    text += ["", f"Choose what you receive: {absolute(reverse('notifications:preferences'))}"]
    try:
        send_mail(f"IPS Case Manager: {note.title}", "\n".join(text).strip() + "\n", None, [user.email])
    except Exception:  # a mail server outage must not lose the in-app notification
        logger.exception("Notification e-mail %s to user %s failed", note.pk, user.pk)
        return
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, shown=True, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; another user's is never touched."""
    unread = Notification.objects.filter(user=user, shown=True, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    if changed:
        record(None, Action.UPDATE, user=user, detail={"notifications_read": changed})
    return changed


@transaction.atomic
def save_preferences(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store (in app, e-mail) for the kinds offered to the user; others are ignored."""
    offered = set(kinds_for(user))
    for kind, (in_app, by_email) in choices.items():
        if kind in offered:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"in_app": in_app, "email": by_email})
    record(
        None,
        Action.UPDATE,
        user=user,
        detail={"notification_preferences": {k: list(v) for k, v in choices.items() if k in offered}},
    )
