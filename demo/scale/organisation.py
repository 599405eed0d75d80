"""Regions, agencies, programs, staff with their memberships, and employers of the scale dataset."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from programs.models import Role

from ..names import EMPLOYER_KINDS, EMPLOYER_STEMS, FIRST_NAMES, LAST_NAMES
from .writer import Sink, columns

CASELOAD = 17  # open clients per full-time specialist, as the demo's programs run
PROGRAMS_PER_AGENCY = 3
TIMESTAMPED = ("created_at", "updated_at")
USER_COLUMNS: tuple[str, ...] = (
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "phone",
)
MEMBERSHIP_COLUMNS = columns(
    "id created_at updated_at user_id role program_id region_id start_date end_date fte is_active"
)
EMPLOYER_COLUMNS = columns(
    "id created_at updated_at program_id name normalized_name industry address phone contact_person notes"
)


@dataclass
class Staff:
    """A specialist's tenure in a program: employer contacts and episodes fall inside it."""

    user_id: int
    start: datetime.date
    end: datetime.date | None
    fte: Decimal
    weight: float = 1.0  # share of the open caseload (an overloaded specialist has more)


@dataclass
class ProgramPlan:
    program_id: int
    region_index: int
    size: int  # clients
    started: datetime.date
    current: list[Staff] = field(default_factory=list)
    former: list[Staff] = field(default_factory=list)
    supervisor_id: int = 0
    employer_ids: list[int] = field(default_factory=list)
    employer_titles: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (job title, occupation group)


@dataclass
class Organisation:
    region_ids: list[int]
    trainer_ids: list[int]
    admin_id: int
    programs: list[ProgramPlan]


class People:
    """Writes users with invented names and unusable passwords (`!`); logins are set by whoever needs one."""

    def __init__(self, sink: Sink, rng: random.Random, prefix: str, now: str) -> None:
        self.sink, self.rng, self.prefix, self.now = sink, rng, prefix, now

    def user(self, name: str) -> int:
        pk = self.sink.next_id("programs_user")
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        row = (pk, "!", False, f"{self.prefix}-{name}", first, last, "", False, True, self.now, "")
        self.sink.add("programs_user", USER_COLUMNS, row)
        return pk

    def membership(
        self,
        user_id: int,
        role: str,
        start: datetime.date,
        *,
        program_id: int | None = None,
        region_id: int | None = None,
        end: datetime.date | None = None,
        fte: Decimal = Decimal("1.00"),
    ) -> None:
        pk = self.sink.next_id("programs_membership")
        row = (pk, self.now, self.now, user_id, role, program_id, region_id, start, end, fte, True)
        self.sink.add("programs_membership", MEMBERSHIP_COLUMNS, row)


def program_sizes(n_programs: int, per_program: int, rng: random.Random) -> list[int]:
    """Around `per_program` each; the first program is eight times that (a large urban team), so one
    supervisor's dashboard covers hundreds of clients as in the largest real programs."""
    sizes = [max(1, round(per_program * rng.uniform(0.6, 1.4))) for _ in range(n_programs)]
    if n_programs >= 10:
        sizes[0] = per_program * 8
    return sizes


def build_organisation(
    sink: Sink,
    rng: random.Random,
    *,
    code: str,
    n_programs: int,
    per_program: int,
    per_region: int,
    history_start: datetime.date,
    today: datetime.date,
    now: str,
) -> Organisation:
    prefix = code.lower()
    people = People(sink, rng, prefix, now)
    n_regions = max(1, -(-n_programs // per_region))
    region_ids, trainer_ids, agency_ids = [], [], []
    for r in range(n_regions):
        region_id = sink.next_id("programs_region")
        sink.add(
            "programs_region",
            ("id", *TIMESTAMPED, "name", "code", "country"),
            (region_id, now, now, f"Scale Region {r + 1} (synthetic)", f"{code}{r + 1:02d}", "United States"),
        )
        region_ids.append(region_id)
        trainer = people.user(f"trainer-{r + 1}")
        people.membership(trainer, Role.TRAINER, history_start, region_id=region_id)
        trainer_ids.append(trainer)
    admin_id = people.user("admin")
    people.membership(admin_id, Role.ADMIN, history_start)
    sizes = program_sizes(n_programs, per_program, rng)
    plans = []
    for i, size in enumerate(sizes):
        region_index = i // per_region
        if i % PROGRAMS_PER_AGENCY == 0 or i % per_region == 0:
            agency_ids.append(sink.next_id("programs_agency"))
            sink.add(
                "programs_agency",
                ("id", *TIMESTAMPED, "region_id", "name"),
                (agency_ids[-1], now, now, region_ids[region_index], f"Scale Agency {len(agency_ids)} (synthetic)"),
            )
        program_id = sink.next_id("programs_program")
        started = history_start - datetime.timedelta(days=rng.randrange(0, 400))
        sink.add(
            "programs_program",
            ("id", *TIMESTAMPED, "agency_id", "name", "code", "started_on", "is_active"),
            (
                program_id,
                now,
                now,
                agency_ids[-1],
                f"Scale IPS Program {i + 1}",
                f"{prefix}-{i + 1:04d}",
                started,
                True,
            ),
        )
        plan = ProgramPlan(program_id, region_index, size, started)
        _staff(plan, people, rng, history_start, today, i)
        _employers(plan, sink, rng, now)
        plans.append(plan)
    return Organisation(region_ids, trainer_ids, admin_id, plans)


def _staff(
    plan: ProgramPlan, people: People, rng: random.Random, history_start: datetime.date, today: datetime.date, i: int
) -> None:
    n_current = max(1, round(plan.size * 0.4 / CASELOAD))
    plan.supervisor_id = people.user(f"supervisor-{i + 1}")
    people.membership(plan.supervisor_id, Role.SUPERVISOR, plan.started, program_id=plan.program_id)
    span = (today - history_start).days
    for k in range(n_current):
        # Staff turn over: today's specialists joined at various times, the first of them longest ago.
        back = rng.randrange(2 * 365, max(2 * 365 + 1, span)) if k == 0 else rng.randrange(90, 3 * 365)
        start = max(plan.started, today - datetime.timedelta(days=back))
        fte = rng.choices([Decimal("1.00"), Decimal("0.80"), Decimal("0.50")], [80, 12, 8])[0]
        user_id = people.user(f"p{i + 1}-specialist-{k + 1}")
        people.membership(user_id, Role.SPECIALIST, start, program_id=plan.program_id, fte=fte)
        plan.current.append(Staff(user_id, start, None, fte, float(fte)))
    if n_current >= 3 and rng.random() < 0.3:
        plan.current[0].weight *= 2.5  # an overloaded specialist, as supervisors see in real programs
    for k in range(max(1, n_current // 3)):
        end = today - datetime.timedelta(days=rng.randrange(60, max(61, span - 200)))
        start = max(plan.started, end - datetime.timedelta(days=rng.randrange(200, 1200)))
        user_id = people.user(f"p{i + 1}-former-{k + 1}")
        people.membership(user_id, Role.SPECIALIST, start, program_id=plan.program_id, end=end)
        plan.former.append(Staff(user_id, start, end, Decimal("1.00")))


def _employers(plan: ProgramPlan, sink: Sink, rng: random.Random, now: str) -> None:
    for k in range(20 + plan.size // 4):
        kind = EMPLOYER_KINDS[k % len(EMPLOYER_KINDS)]
        stem = EMPLOYER_STEMS[(k // len(EMPLOYER_KINDS) + rng.randrange(3)) % len(EMPLOYER_STEMS)]
        name = f"{stem} {kind.industry} {k + 1}"
        pk = sink.next_id("jobs_employer")
        row = (pk, now, now, plan.program_id, name, name.lower(), kind.industry, "", "", "", "")
        sink.add("jobs_employer", EMPLOYER_COLUMNS, row)
        plan.employer_ids.append(pk)
        plan.employer_titles[pk] = (kind.job_title, kind.occupation_group.value)
