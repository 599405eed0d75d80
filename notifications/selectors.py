"""What the digests count. The alerts are the caseload's own six (caseload.selectors decides them, the
same rule as the caseload page); plan steps and action-plan items are counted here. Counts only."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from caseload.selectors import AlertCode, caseload
from clients.models import PlanStep
from fidelity.models import ActionPlanItem, ActionStatus
from programs.models import Membership, Program, Role, User

ACTION_ITEMS_AHEAD_DAYS = 7  # the weekly digest lists items due in the coming week, and overdue ones


@dataclass
class SpecialistDigest:
    alert_counts: dict[str, int]  # alert code -> clients of the specialist with it
    steps_due: int  # open steps of current plans due today or earlier
    clients_with_alerts: int

    @property
    def empty(self) -> bool:
        return not self.steps_due and not any(self.alert_counts.values())


def specialist_digest(user: User, today: datetime.date) -> SpecialistDigest:
    data = caseload(user, whole_program=False, as_of=today)
    client_ids = [row.pk for row in data.rows]
    steps = PlanStep.objects.filter(
        plan__client_id__in=client_ids, plan__is_current=True, completed_on__isnull=True, target_date__lte=today
    ).count()
    with_alerts = sum(bool(row.alerts) for row in data.rows)
    return SpecialistDigest(alert_counts=dict(data.alert_counts), steps_due=steps, clients_with_alerts=with_alerts)


@dataclass
class SpecialistLine:
    name: str
    clients_with_alerts: int
    alert_counts: dict[str, int]


@dataclass
class ProgramDigest:
    program: Program
    specialists: list[SpecialistLine] = field(default_factory=list)
    action_items_overdue: int = 0
    action_items_due_soon: int = 0

    @property
    def empty(self) -> bool:
        return not (self.action_items_overdue or self.action_items_due_soon or self.specialists)


def supervised_programs(user: User) -> QuerySet[Program]:
    """Programs where `user` is an active supervisor (a supervisor's membership names one program)."""
    memberships = Membership.objects.filter(user=user, role=Role.SUPERVISOR, is_active=True)
    return Program.objects.filter(pk__in=memberships.values("program")).order_by("name")


def program_digests(user: User, today: datetime.date) -> list[ProgramDigest]:
    """One digest per supervised program: clients with alerts by specialist, action-plan items due."""
    programs = list(supervised_programs(user))
    if not programs:
        return []
    rows = caseload(user, whole_program=True, as_of=today).rows
    wanted = {p.pk for p in programs}
    grouped: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.program_id in wanted and row.alerts:
            grouped[row.program_id][row.specialist_name or "No specialist assigned"].append(row)
    open_items = ActionPlanItem.objects.filter(
        status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_date__isnull=False
    )
    ahead = today + datetime.timedelta(days=ACTION_ITEMS_AHEAD_DAYS)
    digests = []
    for program in programs:
        digest = ProgramDigest(program=program)
        for name, specialist_rows in sorted(grouped[program.pk].items()):
            counts = {code: sum(code in r.alert_codes for r in specialist_rows) for code in AlertCode.LABELS}
            digest.specialists.append(SpecialistLine(name, len(specialist_rows), counts))
        items = open_items.filter(review__program=program)
        digest.action_items_overdue = items.filter(due_date__lt=today).count()
        digest.action_items_due_soon = items.filter(due_date__gte=today, due_date__lt=ahead).count()
        digests.append(digest)
    return digests
