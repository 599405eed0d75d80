"""The as-of rules of a period's figures: which days count (`counted_period`), the weeks employer
contacts are divided by (`contact_weeks`), and the days-to-first-employer-contact figures from
(enrollment, first contact) pairs (`first_contact_figures`). Definitions: `outcomes.summaries.outcomes`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .common import median
from .periods import Period, Rate

Contacted = tuple[datetime.date, datetime.date | None]


@dataclass(frozen=True)
class FirstContact:
    """Days to first employer contact of a period's new clients (see `first_contact_figures`)."""

    median: float | None
    median_over: int | None
    within: Rate


def first_contact_figures(rows: Iterable[Contacted], target_days: int, as_of: datetime.date) -> FirstContact:
    """From (enrollment date, first contact date or None) pairs, with N = `target_days`:

    - Counted clients: those contacted by as_of, and those not contacted whose N-day window has fully
      elapsed by as_of (enrollment_date + N < as_of); a client enrolled yesterday is not judged yet.
    - Within target: contacted within N days / counted clients.
    - Median: over the counted clients, a client not contacted by as_of counting as "more than the
      days elapsed since enrolling" (at least N + 1). When no counted client is uncontacted it is the
      plain median. When the middle value(s) are contacted clients' days no greater than the fewest
      days any uncontacted client has waited, every uncontacted client ranks after them and it is that
      median. Otherwise (the middle falls among the uncontacted, or among days that an uncontacted
      client's unknown days could precede) it is reported as "> N": `median` None, `median_over` = N."""
    days: list[int] = []
    within, uncontacted = 0, 0
    waited = None  # the fewest days an uncontacted, counted client has waited by as_of
    for enrolled, contacted in rows:
        if contacted is not None:
            elapsed = (contacted - enrolled).days
            days.append(elapsed)
            within += elapsed <= target_days
        elif (elapsed := (as_of - enrolled).days) > target_days:
            uncontacted += 1
            waited = elapsed if waited is None else min(waited, elapsed)
    counted = len(days) + uncontacted
    rate = Rate(within, counted)
    if not counted:
        return FirstContact(None, None, rate)
    days.sort()
    if not uncontacted:
        return FirstContact(median(days), None, rate)
    middle = [(counted - 1) // 2, counted // 2]  # the one or two middle positions
    if waited is not None and all(i < len(days) and days[i] <= waited for i in middle):
        return FirstContact((days[middle[0]] + days[middle[1]]) / 2, None, rate)
    return FirstContact(None, target_days, rate)


def counted_period(period: Period, as_of: datetime.date) -> Period:
    """The days whose records count: the period, cut at `as_of` when it is still running, so that
    nothing dated after the as-of day (a future-dated enrollment, job start, closure or contact) is
    counted. A period that has not started yet is left whole."""
    if period.start <= as_of < period.end:
        return Period.custom(period.start, as_of, period.label)
    return period


def contact_weeks(period: Period, as_of: datetime.date) -> tuple[datetime.date, float]:
    """(last day, weeks) that employer contacts per specialist per week are counted over: the whole
    period (its days / 7) once it has ended by `as_of`; while it runs, the full weeks elapsed from
    its first day through the as-of day (a week of 7 days; 61 days elapsed -> 8 weeks, the contacts of
    those 56 days), 0 before the first full week."""
    if as_of >= period.end:
        return period.end, period.weeks
    full = max((as_of - period.start).days + 1, 0) // 7
    return period.start + datetime.timedelta(days=7 * full - 1), float(full)
