"""Records for the accessibility run: one of each kind, in program A, all with the same primary key so one
number fills every `<int:...>` of a route (the approach of tests/test_route_matrix.py)."""

import datetime

import pytest

from programs.models import Role

from .. import factories as f

PK = 4242


@pytest.fixture
def a11y_records(program_a, supervisor_a, specialist_a, trainer):
    client = f.ClientFactory(pk=PK, program=program_a, first_name="Avery", last_name="Brookfield")
    enrollment = f.EnrollmentFactory(pk=PK, client=client, specialist=specialist_a)
    profile = f.CareerProfileFactory(client=client)
    f.WorkHistoryEntryFactory(pk=PK, profile=profile)
    plan = f.EmploymentPlanFactory(pk=PK, client=client)
    f.PlanStepFactory(pk=PK, plan=plan)
    f.BenefitsCounselingSessionFactory(pk=PK, client=client)
    f.ContactFactory(client=client, staff=specialist_a, contact_date=datetime.date(2026, 11, 2))
    employer = f.EmployerFactory(pk=PK, program=program_a, name="Harbor Bakery")
    job = f.JobStartFactory(pk=PK, client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    f.EmployerContactFactory(pk=PK, employer=employer, specialist=specialist_a, clients=[client])
    f.FollowAlongSupportFactory(pk=PK, job=job, support_date=datetime.date(2026, 2, 9))
    second = f.make_user(Role.TRAINER, region=program_a.agency.region)
    review = f.FidelityReviewFactory(pk=PK, program=program_a, reviewer_1=trainer, reviewer_2=second)
    f.ActionPlanItemFactory(pk=PK, review=review)
    f.QuarterlyReportFactory(pk=PK, program=program_a, year=2026, quarter=1)
    return enrollment
