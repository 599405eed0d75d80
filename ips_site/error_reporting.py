"""Error reporting through sentry-sdk: off unless settings.SENTRY_DSN is set (env SENTRY_DSN).

Never client data: `send_default_pii=False` (no user e-mails, IPs or cookies) and `scrub` drops what the
SDK would still send of a request — its body, query string, cookies and headers — and any local
variables. Imported by settings.py, so it imports nothing from Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sentry_sdk

if TYPE_CHECKING:
    from sentry_sdk.types import Event

# The request fields an event keeps: the method and the path (the URL without its query string).
KEPT_REQUEST_FIELDS = ("method", "url")


def scrub(event: Event, hint: dict[str, Any] | None = None) -> Event:
    """`before_send`: the event without request bodies, query strings, cookies, headers or local variables."""
    request: Any = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in KEPT_REQUEST_FIELDS if key in request}
        if isinstance(kept.get("url"), str):
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    exceptions: Any = event.get("exception") or {}
    for exception in exceptions.get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return event


def init(dsn: str, *, environment: str = "production", release: str | None = None, **options: Any) -> bool:
    """Start reporting errors to `dsn` (web and Celery: the SDK's Django and Celery integrations are
    enabled on their own). Without a DSN nothing is started. Returns whether it was."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
        traces_sample_rate=0.0,
        **options,
    )
    return True
