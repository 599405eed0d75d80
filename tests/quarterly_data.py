"""Synthetic data for the quarterly report tests (tests/reports/test_quarterly*.py and the real-worker
test, tests/test_quarterly_worker.py)."""

import datetime
from decimal import Decimal

from clients.models import ContactMode
from programs.models import Role

from . import factories as f

YEAR, Q = 2026, 1  # 2026 Q1 = Jan-Mar 2026 (default quarter start month)
COHORT_CODE = "2024Q3"  # enrolled Jul-Sep 2024: 18 months of follow-up end in 2026 Q1


def build_program(program, *, clients=6):
    """A program with two specialists, a supervisor with an e-mail address, clients enrolled in
    2026 Q1 (some working), a cohort enrolled in 2024 Q3, employer contacts and one record of each
    data-quality problem. Returns a dict of what was made."""
    s1 = f.make_user(Role.SPECIALIST, program=program, first_name="Sam", last_name="Spec")
    s2 = f.make_user(Role.SPECIALIST, program=program, first_name="Pat", last_name="Spec")
    supervisor = f.make_user(Role.SUPERVISOR, program=program, email=f"lead-{program.code}@example.test")
    employer = f.EmployerFactory(program=program)
    made = {"specialists": [s1, s2], "supervisor": supervisor, "clients": [], "employer": employer}
    for index in range(clients):
        specialist = s1 if index % 2 == 0 else s2
        client = f.ClientFactory(program=program, first_name=f"Zelda{index}", last_name=f"Quarterlyname{index}")
        f.EnrollmentFactory(client=client, enrollment_date=datetime.date(2026, 1, 10 + index), specialist=specialist)
        made["clients"].append(client)
        if index < 2:
            f.JobStartFactory(client=client, employer=employer, start_date=datetime.date(2026, 2, 2 + index))
        if index < 3:
            f.EmployerContactFactory(
                employer=employer, specialist=specialist, contact_date=datetime.date(2026, 1, 20), clients=[client]
            )
    # Data quality: a referral without an enrollment date, a job without hours, a contact without a mode.
    pending = f.ClientFactory(program=program, record_number=f"DQ-{program.code}")
    made["pending_enrollment"] = f.EnrollmentFactory(
        client=pending, enrollment_date=None, referral_date=datetime.date(2026, 2, 1)
    )
    made["job_without_hours"] = f.JobStartFactory(
        client=made["clients"][-1], employer=employer, start_date=datetime.date(2026, 3, 1), hours_per_week=None
    )
    made["contact_without_mode"] = f.ContactFactory(
        client=made["clients"][0], staff=s1, contact_date=datetime.date(2026, 2, 10), mode=""
    )
    f.ContactFactory(
        client=made["clients"][1], staff=s1, contact_date=datetime.date(2026, 2, 11), mode=ContactMode.PHONE
    )
    # The 2024 Q3 cohort: two clients, one of whom started a competitive job within 18 months.
    for index in range(2):
        client = f.ClientFactory(program=program)
        f.EnrollmentFactory(
            client=client,
            enrollment_date=datetime.date(2024, 8, 1 + index),
            specialist=s1,
            closure_date=datetime.date(2025, 6, 1),
            closure_reason="other",
        )
        if index == 0:
            f.JobStartFactory(
                client=client,
                employer=employer,
                start_date=datetime.date(2025, 1, 6),
                end_date=datetime.date(2025, 5, 1),
                end_type="quit",
                hourly_wage=Decimal("16.00"),
            )
    return made
