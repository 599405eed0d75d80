"""The quarters reports are made of: parsing an operator's quarter, and the rules it must meet (ended,
not before the first recorded referral)."""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.utils import timezone

from clients.models import Enrollment
from core.errors import RuleViolation
from outcomes.periods import Period


def parse_quarter(code: str, today: datetime.date | None = None) -> Period:
    """The quarter `code` ("2026Q3") names; it must have ended (reports are of closed quarters)."""
    try:
        period = Period.parse(code)
    except ValueError as exc:
        raise RuleViolation(str(exc)) from exc
    if period.q is None:
        raise RuleViolation(f"{code!r} is not a quarter (expected e.g. 2026Q3).")
    require_ended(period, today)
    return period


def require_ended(period: Period, today: datetime.date | None = None) -> None:
    """Reports (and closes) are of ended quarters only: a close of a running quarter would block its real one."""
    if period.end >= (today or timezone.localdate()):
        raise RuleViolation(f"{period.label} has not ended yet.")


def require_data(period: Period) -> None:
    """An operator's quarter must not end before the first recorded referral (a typo such as 1999Q1)."""
    first: datetime.date | None = Enrollment.objects.aggregate(first=Min("referral_date"))["first"]
    if first is None:
        raise RuleViolation("No enrollment is recorded yet: there is nothing to report.")
    if period.end < first:
        raise RuleViolation(f"{period.label} ended before the first recorded referral ({first:%d %b %Y}).")


def last_closed_quarter(today: datetime.date | None = None) -> Period:
    return Period.quarter_containing(today or timezone.localdate()).previous()


def recent_quarters(n: int = 8, today: datetime.date | None = None) -> list[Period]:
    """The last `n` ended quarters, newest first (the choices of the request form)."""
    quarters: list[Period] = last_closed_quarter(today).quarters_back(n)
    return quarters[::-1]
