"""The digests, run by Celery beat (settings.CELERY_BEAT_SCHEDULE): daily for specialists, weekly for
supervisors. Counts and links only: the text may be e-mailed."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from caseload.selectors import AlertCode
from programs.models import Role, User

from . import selectors
from .models import Kind
from .services import deliver


def _people(role: str):
    return (
        User.objects.filter(is_active=True, memberships__role=role, memberships__is_active=True)
        .distinct()
        .order_by("pk")
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def daily_lines(digest: selectors.SpecialistDigest) -> list[str]:
    lines = [f"{_plural(digest.clients_with_alerts, 'client')} on your caseload with alerts:"]
    lines += [
        f"  {label}: {digest.alert_counts[code]}" for code, label in AlertCode.CHOICES if digest.alert_counts[code]
    ]
    lines.append(f"Employment plan steps due today or overdue: {digest.steps_due}")
    return lines


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests(day: str | None = None) -> int:
    """Each specialist's alerts and plan steps due; nothing is sent to someone with nothing due."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    sent = 0
    for user in _people(Role.SPECIALIST):
        digest = selectors.specialist_digest(user, today)
        if digest.empty:
            continue
        note = deliver(
            user=user,
            kind=Kind.DAILY_DIGEST,
            key=f"daily:{today.isoformat()}",
            title=f"Your caseload today: {_plural(digest.clients_with_alerts, 'client')} with alerts, "
            f"{_plural(digest.steps_due, 'plan step')} due",
            lines=daily_lines(digest),
            link=reverse("clients:caseload") + "?scope=mine&alert=any&sort=alerts",
        )
        sent += note is not None
    return sent


def weekly_lines(digest: selectors.ProgramDigest) -> list[str]:
    lines = [f"{digest.program.name}: clients with alerts, by specialist"]
    for line in digest.specialists:
        parts = [f"{label} {line.alert_counts[code]}" for code, label in AlertCode.CHOICES if line.alert_counts[code]]
        lines.append(f"  {line.name}: {line.clients_with_alerts} ({'; '.join(parts)})")
    if not digest.specialists:
        lines.append("  None")
    lines.append(f"Fidelity action-plan items overdue: {digest.action_items_overdue}")
    lines.append(f"Fidelity action-plan items due in the coming week: {digest.action_items_due_soon}")
    return lines


@shared_task(name="notifications.send_weekly_digests")
def send_weekly_digests(day: str | None = None) -> int:
    """Each supervisor's programs: alerts by specialist and fidelity action-plan items due."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    year, week, _ = today.isocalendar()
    sent = 0
    for user in _people(Role.SUPERVISOR):
        for digest in selectors.program_digests(user, today):
            if digest.empty:
                continue
            alerts = sum(line.clients_with_alerts for line in digest.specialists)
            due = digest.action_items_overdue + digest.action_items_due_soon
            note = deliver(
                user=user,
                kind=Kind.WEEKLY_DIGEST,
                key=f"weekly:{digest.program.pk}:{year}-W{week:02d}",
                title=f"{digest.program.name} this week: {_plural(alerts, 'client')} with alerts, "
                f"{_plural(due, 'action-plan item')} due",
                lines=weekly_lines(digest),
                link=reverse("clients:caseload") + "?scope=program&alert=any&sort=alerts",
            )
            sent += note is not None
    return sent


@shared_task(name="notifications.review_event")
def review_event(review_id: int, event: str) -> int:
    from .reviews import notify_reviewers

    return notify_reviewers(review_id, event)
