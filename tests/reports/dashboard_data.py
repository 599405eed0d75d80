"""The dashboard tests' hand-computed program (see `build_world`) and its dates.

Quarter 2026Q1 (1 Jan - 31 Mar 2026), "today" 15 Jun 2026 (the `dashboard_today` fixture). Program A,
specialists s1, s2:

  c1  s1  enrolled 2025-11-01, open; competitive job from 2026-02-01 (20 h), still held
  c2  s1  enrolled 2026-03-31 (last day of the quarter); no employer contact
  c3  s2  enrolled 2025-06-01, closed 2026-01-01 (first day); job 2025-09-01..2025-12-31
  c4  s2  enrolled 2026-01-15; face-to-face employer contact 2026-01-25 (10 days);
          non-competitive job from 2026-02-10 (excluded)
  c5  s2  enrolled 2025-10-01; competitive job from 2025-12-01 (35 h), no end date
  c6      referral without an enrollment date (never counted)

2026Q1: caseload 5, working 2 (c1, c5), rate 40.0% (minimal band), 1 job start (c1, a first
start), 2 new enrollments (c2, c4), first contact within 30 days 1 of 2 (c4; c2's window elapsed).
2025Q4: caseload 3 (c1, c3, c5), working 2 (c3, c5), rate 66.7%, 1 job start (c5), first contact
0 of 2 (c1, c5 never contacted).
"""

import datetime
from decimal import Decimal

from django.utils import timezone as tz

from clients.models import ClosureReason
from fidelity.models import ReviewStatus
from programs.models import Role

from .. import factories as f

TODAY = datetime.date(2026, 6, 15)
Q1 = "2026Q1"
D = datetime.date


def enrol(program, specialist, enrolled, closed=None, **client_kwargs):
    client = f.ClientFactory(program=program, **client_kwargs)
    f.EnrollmentFactory(
        client=client,
        specialist=specialist,
        enrollment_date=enrolled,
        referral_date=(enrolled or TODAY) - datetime.timedelta(days=5),
        closure_date=closed,
        closure_reason=ClosureReason.GOAL_MET if closed else "",
    )
    return client


def build_world(program_a, program_b):
    s1 = f.make_user(Role.SPECIALIST, program=program_a, username="dash_s1", first_name="Ada", last_name="Sparrow")
    s2 = f.make_user(Role.SPECIALIST, program=program_a, username="dash_s2", first_name="Bea", last_name="Thrush")
    employer = f.EmployerFactory(program=program_a, name="Harbor Bakery")
    c = {
        "c1": enrol(program_a, s1, D(2025, 11, 1), first_name="Quentin", last_name="Ashgrove"),
        "c2": enrol(program_a, s1, D(2026, 3, 31), first_name="Rhoda", last_name="Birchall"),
        "c3": enrol(program_a, s2, D(2025, 6, 1), D(2026, 1, 1), first_name="Silas", last_name="Cobb"),
        "c4": enrol(program_a, s2, D(2026, 1, 15), first_name="Tilda", last_name="Dunmore"),
        "c5": enrol(program_a, s2, D(2025, 10, 1), first_name="Ulla", last_name="Eastwood"),
        "c6": enrol(program_a, s1, None, first_name="Vance", last_name="Fairley"),
    }
    jobs = {
        "c1": f.JobStartFactory(
            client=c["c1"], employer=employer, start_date=D(2026, 2, 1), hours_per_week=Decimal("20")
        ),
        "c3": f.JobStartFactory(
            client=c["c3"], employer=employer, start_date=D(2025, 9, 1), end_date=D(2025, 12, 31), end_type="quit"
        ),
        "c4": f.JobStartFactory(client=c["c4"], employer=employer, start_date=D(2026, 2, 10), is_competitive=False),
        "c5": f.JobStartFactory(
            client=c["c5"], employer=employer, start_date=D(2025, 12, 1), hours_per_week=Decimal("35")
        ),
    }
    f.EmployerContactFactory(employer=employer, specialist=s2, contact_date=D(2026, 1, 25), clients=[c["c4"]])
    f.EmployerContactFactory(employer=employer, specialist=s1, contact_date=D(2026, 3, 20))
    return {"program": program_a, "other": program_b, "s1": s1, "s2": s2, "clients": c, "jobs": jobs}


def finalized(program, total, visit, status=ReviewStatus.FINALIZED):
    """A fidelity review of `program` visited on `visit`: finalized with `total`, or in `status`."""
    done = status == ReviewStatus.FINALIZED
    return f.FidelityReviewFactory(
        program=program,
        status=status,
        total_score=total if done else None,
        finalized_at=tz.now() if done else None,
        visit_start=visit,
        visit_end=visit,
    )
