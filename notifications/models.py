"""In-app notifications and each user's choice of what to receive, and how.

A notification's text holds counts, program names and links only: never a client's name (it may be
e-mailed, and e-mail leaves the system)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    DAILY_DIGEST = "daily_digest", "Daily: my caseload alerts and plan steps due"
    WEEKLY_DIGEST = "weekly_digest", "Weekly: my program's alerts by specialist and action-plan items due"
    REVIEW_SCHEDULED = "review_scheduled", "A fidelity review I am a reviewer on is scheduled"
    SCORES_SUBMITTED = "scores_submitted", "Both reviewers have submitted their scores"
    REPORT_FINALIZED = "report_finalized", "A fidelity report I reviewed is finalized"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # What this notification is about ("daily:2026-11-30", "review:12:finalized"): one per user, so a
    # task run twice neither repeats it nor e-mails twice.
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A path within the site.")
    shown = models.BooleanField(default=True, help_text="False when the user takes this kind by e-mail only.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_and_key")]
        indexes = [models.Index(fields=["user", "shown", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """One row per user and kind once the user changed it; without a row both channels are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind}"
