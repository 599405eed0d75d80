"""`manage.py check --deploy`: production requires the second factor for supervisors, trainers and
administrators (settings.MFA_REQUIRED_ROLES; an empty value is for the local demo only)."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

REQUIRED = {"supervisor", "trainer", "admin"}


@register(Tags.security, deploy=True)
def two_factor_required(app_configs: Any, **kwargs: Any) -> list[Warning]:
    missing = REQUIRED - set(getattr(settings, "MFA_REQUIRED_ROLES", ()))
    if not missing:
        return []
    return [
        Warning(
            f"Two-factor authentication is not required for: {', '.join(sorted(missing))}.",
            hint="Leave MFA_REQUIRED_ROLES unset (or list supervisor,trainer,admin) in production.",
            id="accounts.W001",
        )
    ]
