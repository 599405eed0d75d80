"""The staff a period's figures divide by: employment-specialist memberships in force during the
period (programs.selectors.in_force_between), weighted by FTE.

- specialist_count: the distinct specialists with a membership of the programs in force on at least
  one day of the (counted) period -- a specialist who left mid-quarter is one of that quarter's staff.
- specialist_fte: the FTE of the memberships in force on the period's last counted day, the day the
  caseload is taken: caseload per specialist is per full-time specialist (the IPS benchmark <= 20).
- specialist_weeks: full-time-equivalent weeks worked over the days employer contacts are counted:
  the sum over memberships of FTE x days in force within those days / 7. Full-time staff present
  throughout give specialists x weeks, as before; a 0.5 FTE specialist counts half, one who left after
  four weeks counts four.
A user holding memberships in several programs counts once in specialist_count and with each
membership's FTE in the sums.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from programs.models import User
from programs.selectors import specialist_memberships_between

from .common import BY_PROGRAM, BY_SPECIALIST, Group, GroupKey, Programs
from .periods import Period


@dataclass
class Staff:
    """One group's staff for a period (see the module docstring)."""

    users: set[int] = field(default_factory=set)
    # The users themselves (loaded with the memberships: the by-specialist rows need no other query).
    people: dict[int, User] = field(default_factory=dict)
    fte_at_end: float = 0.0
    fte_weeks: float = 0.0

    @property
    def count(self) -> int:
        return len(self.users)


def _overlap_days(start: datetime.date, end: datetime.date | None, first: datetime.date, last: datetime.date) -> int:
    """Days of [start, end] (end None = still in force) within [first, last], both inclusive."""
    begin, finish = max(start, first), min(end or last, last)
    return max((finish - begin).days + 1, 0)


def staff_by_group(
    programs: Programs, period: Period, weeks_end: datetime.date, group: Group, ids: list[int] | None
) -> dict[GroupKey, Staff]:
    """{group key: Staff} over the counted `period` (already cut at the as-of day), employer contacts
    being counted from its first day to `weeks_end`. `ids`: only these specialists. One query."""
    qs = specialist_memberships_between(programs, period.start, period.end)
    if ids is not None:
        qs = qs.filter(user__in=ids)
    staff: dict[GroupKey, Staff] = {}
    for m in qs.order_by().select_related("user"):
        start, end, fte = m.start_date, m.end_date, m.fte
        key = m.program_id if group == BY_PROGRAM else m.user_id if group == BY_SPECIALIST else None
        row = staff.setdefault(key, Staff())
        row.users.add(m.user_id)
        row.people[m.user_id] = m.user
        if start <= period.end and (end is None or end >= period.end):
            row.fte_at_end += float(fte)
        row.fte_weeks += float(fte) * _overlap_days(start, end, period.start, weeks_end) / 7
    return staff
