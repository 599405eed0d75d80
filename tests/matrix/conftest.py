"""Program A's records (every one with the same primary key) and the staff of another program and
region who must never reach them."""

import datetime

import pytest

from programs.models import Role
from tests import factories as f

from .routes import MARKER, OWN, PK, PROGRAM_MARKER


@pytest.fixture
def program_a_records(program_a, supervisor_a, specialist_a, trainer):
    program_a.name = PROGRAM_MARKER
    program_a.save()
    client = f.ClientFactory(pk=PK, program=program_a, first_name=MARKER, last_name=MARKER)
    enrollment = f.EnrollmentFactory(pk=PK, client=client, specialist=specialist_a)
    profile = f.CareerProfileFactory(client=client)
    f.WorkHistoryEntryFactory(pk=PK, profile=profile)
    plan = f.EmploymentPlanFactory(pk=PK, client=client)
    f.PlanStepFactory(pk=PK, plan=plan)
    f.BenefitsCounselingSessionFactory(pk=PK, client=client)
    f.ContactFactory(pk=PK, client=client, staff=specialist_a)
    employer = f.EmployerFactory(pk=PK, program=program_a, name=f"{MARKER} Bakery")
    job = f.JobStartFactory(pk=PK, client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    f.EmployerContactFactory(pk=PK, employer=employer, specialist=specialist_a, clients=[client])
    f.FollowAlongSupportFactory(pk=PK, job=job, support_date=datetime.date(2026, 2, 9))
    second = f.make_user(Role.TRAINER, region=program_a.agency.region)
    review = f.FidelityReviewFactory(pk=PK, program=program_a, reviewer_1=trainer, reviewer_2=second)
    f.ActionPlanItemFactory(pk=PK, review=review)
    f.QuarterlyReportFactory(pk=PK, program=program_a, year=2026, quarter=1)
    return enrollment


@pytest.fixture
def outsiders(program_b):
    region_b = program_b.agency.region
    return [
        f.make_user(Role.SPECIALIST, program=program_b, username="out_spec"),
        f.make_user(Role.SUPERVISOR, program=program_b, username="out_super"),
        f.make_user(Role.TRAINER, region=region_b, username="out_trainer"),
        f.make_user(Role.ADMIN, region=region_b, username="out_admin"),
    ]


@pytest.fixture
def program_b_records(program_b, outsiders):
    """Program B's own client (pk OWN), for mixed own-parent/foreign-child URLs."""
    specialist_b = outsiders[0]
    client = f.ClientFactory(pk=OWN, program=program_b, first_name="Ownclient", last_name="Bee")
    f.EnrollmentFactory(pk=OWN, client=client, specialist=specialist_b)
    plan = f.EmploymentPlanFactory(pk=OWN, client=client)
    f.PlanStepFactory(pk=OWN, plan=plan)
    f.WorkHistoryEntryFactory(pk=OWN, profile=f.CareerProfileFactory(client=client))
    f.BenefitsCounselingSessionFactory(pk=OWN, client=client)
    f.ContactFactory(pk=OWN, client=client, staff=specialist_b)
    employer = f.EmployerFactory(pk=OWN, program=program_b, name="Own Employer")
    f.JobStartFactory(pk=OWN, client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    return client
