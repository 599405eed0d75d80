"""The demo region's organisation: agencies, programs, treatment teams, and the demo users' logins."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from programs.models import Agency, Membership, Program, Region, Role, TreatmentTeam

from .names import FIRST_NAMES, LAST_NAMES
from .seeding import REGION_CODE, Seeding


@dataclass(frozen=True)
class PlannedProgram:
    agency: int  # index into the region's two agencies
    name: str
    code: str
    clients: int
    specialists: int
    teams: list[str]
    fidelity_total: int  # of the latest finalized IPS-25 review


# agency, name, code, clients, specialists, treatment teams, IPS-25 total (good, fair, exemplary)
PROGRAMS = [
    PlannedProgram(
        0, "Riverbend IPS Team", "riverbend-ips", 55, 3, ["Riverbend ACT Team", "Riverbend Outpatient Team"], 104
    ),
    PlannedProgram(0, "Riverbend East IPS Team", "riverbend-east-ips", 55, 3, ["East Side Recovery Team"], 92),
    PlannedProgram(1, "Northfield IPS Team", "northfield-ips", 40, 2, ["Northfield Community Team"], 117),
]


@dataclass(frozen=True)
class BuiltProgram:
    program: Program
    plan: PlannedProgram
    teams: list[TreatmentTeam]


def specialist_username(number: int) -> str:
    return "specialist" if number == 1 else f"specialist{number}"


def demo_usernames() -> list[str]:
    return ["admin", "supervisor", "supervisor2", "trainer", "trainer2"] + [
        specialist_username(i) for i in range(1, 1 + sum(p.specialists for p in PROGRAMS))
    ]


def logins() -> list[tuple[str, str, str]]:
    """(username, role, where) for every demo user, in a stable order."""
    memberships = Membership.objects.filter(user__username__in=demo_usernames()).select_related(
        "user", "program", "region"
    )
    return [
        (m.user.username, m.get_role_display(), str(m.program or m.region or "all regions"))
        for m in memberships.order_by("user__username", "role")
    ]


def build_people_and_programs(s: Seeding) -> list[BuiltProgram]:
    """The region, its agencies and programs, and the staff; no clients yet."""
    region = Region.objects.create(name="Lakeland (demo)", code=REGION_CODE, country="United States")
    agencies = [
        Agency.objects.create(region=region, name="Riverbend Community Mental Health Center"),
        Agency.objects.create(region=region, name="Northfield Behavioral Health"),
    ]
    staff = s.staff
    staff.admin = s.user("admin", "Avery", "Quillfeather", is_staff=True, is_superuser=True)
    # Every role is in force from the programs' start, so the whole history has its staff.
    since = s.start - s.days(400)
    Membership.objects.create(user=staff.admin, role=Role.ADMIN, start_date=since)
    staff.trainers = [
        s.user("trainer", "Theodora", "Brightwater"),
        s.user("trainer2", "Tobias", "Fernsby"),
    ]
    for trainer in staff.trainers:
        Membership.objects.create(user=trainer, role=Role.TRAINER, region=region, start_date=since)
    staff.supervisors = [
        s.user("supervisor", "Sabine", "Marrowby"),
        s.user("supervisor2", "Silas", "Oakhurst"),
    ]
    specialist_number = 1
    programs = []
    for plan in PROGRAMS:
        program = Program.objects.create(agency=agencies[plan.agency], name=plan.name, code=plan.code, started_on=since)
        programs.append((program, plan))
        # One supervisor per agency.
        supervisor = staff.supervisors[0] if plan.agency == 0 else staff.supervisors[1]
        Membership.objects.create(user=supervisor, role=Role.SUPERVISOR, program=program, start_date=since)
        staff.specialists[plan.code] = []
        for k in range(plan.specialists):
            first = FIRST_NAMES[(specialist_number * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(specialist_number * 5) % len(LAST_NAMES)]
            specialist = s.user(specialist_username(specialist_number), first, last)
            # The last program's last specialist works half time (caseload is counted per FTE).
            part_time = plan is PROGRAMS[-1] and k == plan.specialists - 1
            Membership.objects.create(
                user=specialist,
                role=Role.SPECIALIST,
                program=program,
                start_date=since,
                fte=Decimal("0.5") if part_time else Decimal("1.0"),
            )
            staff.specialists[plan.code].append(specialist)
            specialist_number += 1
    s.counts["Program"] = len(programs)
    return [
        BuiltProgram(program, plan, s.bulk(TreatmentTeam, [TreatmentTeam(program=program, name=t) for t in plan.teams]))
        for program, plan in programs
    ]
