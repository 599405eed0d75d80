"""The one record of "this submission was already handled": the idempotency key of every create form
(hidden field), of the phone's offline outbox and of the API's `Idempotency-Key` header."""

from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    """A user's key with the first answer it got, replayed for any repeat (a double tap, a retried send)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=500, blank=True)  # where a page form's success redirected
    body = models.JSONField(null=True, blank=True)  # an API answer's data
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_submission_key_user_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.path})"
