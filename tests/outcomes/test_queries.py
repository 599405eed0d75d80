"""outcomes.metrics runs a constant number of queries whatever the number of programs,
specialists or clients (no per-program or per-client query loops)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import metrics as m
from programs.models import Program, Role

from .. import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = m.Period.quarter(2026, 1, start_month=1)
AS_OF = D(2026, 4, 5)
# outcomes_by_*: settings (1) + 6 figure queries + specialists/users (1) + program ids (1), with slack.
MAX_QUERIES = 12


def populate(region, index):
    """A program with two specialists, four clients (one re-enrolled), jobs and contacts."""
    program = f.ProgramFactory(agency__region=region, name=f"Queries Program {index}")
    specialists = [f.make_user(Role.SPECIALIST, program=program, username=f"q_spec_{index}_{n}") for n in range(2)]
    employer = f.EmployerFactory(program=program)
    for n in range(4):
        client = f.ClientFactory(program=program)
        spec = specialists[n % 2]
        f.EnrollmentFactory(client=client, enrollment_date=D(2025, 6, 1 + n), specialist=spec)
        f.JobStartFactory(client=client, start_date=D(2026, 2, 1 + n), hours_per_week=Decimal(10 + 5 * n))
        f.EmployerContactFactory(employer=employer, specialist=spec, contact_date=D(2026, 1, 10 + n), clients=[client])
        f.ContactFactory(client=client, contact_date=D(2026, 2, 10))
    again = f.ClientFactory(program=program)
    f.EnrollmentFactory(
        client=again,
        enrollment_date=D(2025, 1, 1),
        closure_date=D(2025, 3, 1),
        closure_reason="moved",
        specialist=specialists[0],
    )
    f.EnrollmentFactory(client=again, enrollment_date=D(2026, 1, 20), specialist=specialists[1])
    f.JobStartFactory(client=again, start_date=D(2026, 3, 1), is_competitive=False)
    return program


def count_queries(func, *args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = func(*args, **kwargs)
    return len(ctx.captured_queries), result


@pytest.mark.parametrize(
    "func", [m.outcomes, m.outcomes_by_program, m.outcomes_by_specialist], ids=lambda fn: fn.__name__
)
def test_queries_do_not_grow_from_two_to_six_programs(region, func, django_assert_max_num_queries):
    programs = [populate(region, i) for i in range(2)]
    qs = Program.objects.filter(pk__in=[p.pk for p in programs])
    few, result_few = count_queries(func, qs, Q1, as_of=AS_OF)
    programs += [populate(region, i) for i in range(2, 6)]
    qs = Program.objects.filter(pk__in=[p.pk for p in programs])
    many, result_many = count_queries(func, qs, Q1, as_of=AS_OF)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        func(qs, Q1, as_of=AS_OF)
    # The data did grow: 5 active clients (4 + the re-enrolled one) and 2 specialists a program.
    if func is m.outcomes:
        assert (result_few.active_caseload, result_many.active_caseload) == (10, 30)
        assert (result_few.specialist_count, result_many.specialist_count) == (2 * 2, 6 * 2)
    elif func is m.outcomes_by_program:
        assert len(result_many) == 6
        assert {o.active_caseload for o in result_many.values()} == {5}
        assert {o.working for o in result_many.values()} == {4}  # the re-enrolled client's job is not competitive
    else:
        assert len(result_few) == 4 and len(result_many) == 12
        # Specialist 0 of each program: clients 0 and 2; specialist 1: clients 1 and 3 + re-enrolled.
        assert sorted(o.active_caseload for _, o in result_many) == [2] * 6 + [3] * 6


def test_other_functions_are_bounded(region, django_assert_max_num_queries):
    programs = [populate(region, i) for i in range(3)]
    qs = Program.objects.filter(pk__in=[p.pk for p in programs])
    m.outcomes(qs, Q1)  # creates the settings row
    with django_assert_max_num_queries(1 + 1):  # the settings row + one query for the eight quarters
        trend = m.employment_rate_trend(qs, Q1, n=8)
    assert trend[-1][1] == m.Rate(12, 15)
    for func in (m.job_type_diversity, m.employer_diversity, m.competitive_share, m.community_share):
        with django_assert_max_num_queries(1):
            func(qs, Q1)
    with django_assert_max_num_queries(3):
        m.follow_along_within(qs, Q1)
    with django_assert_max_num_queries(3):
        m.cohort_rate(qs, m.Period.quarter(2025, 2, start_month=1), as_of=AS_OF)
    with django_assert_max_num_queries(3):
        m.data_quality(qs, Q1).as_dict()
