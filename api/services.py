"""Creating, finding and revoking API tokens (the one place tokens are hashed)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.utils import timezone

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation
from programs.access import roles_of
from programs.models import Role, User

from .models import ApiToken

TOKEN_PREFIX = "ips_"
LIFETIMES = (30, 90, 365)  # days a new token may live


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the raw key, which is never stored nor shown again."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Name the token after what will use it."
    if days not in LIFETIMES:
        errors["days"] = f"Choose one of {', '.join(map(str, LIFETIMES))} days."
    if errors:
        raise RuleViolation(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(None, Action.CREATE, token, user=user, detail={"api_token": token.prefix})
    return token, raw


def revoke_token(token: ApiToken, *, user: User) -> ApiToken:
    """Revoke `token`: its owner may, and so may an administrator."""
    if token.user_id != user.pk and Role.ADMIN not in roles_of(user):
        raise RuleViolation("Only the token's owner or an administrator can revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(None, Action.UPDATE, token, user=user, detail={"api_token": token.prefix, "revoked": True})
    return token


def active_token(raw: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this key (its `last_used_at` touched), or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy sync does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
