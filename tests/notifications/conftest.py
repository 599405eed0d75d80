import datetime

import pytest
from django.utils import timezone

from fidelity.models import ActionStatus
from programs.models import Role
from tests import factories as f

CLIENT_NAMES = ["Zebulonia", "Quistorp", "Marvellina", "Oxenbridge", "Philippa", "Yardleyson"]


@pytest.fixture
def specialist(program_a):
    return f.make_user(Role.SPECIALIST, program=program_a, username="digest_spec", first_name="Dana", last_name="Reyes")


@pytest.fixture
def colleague(program_a):
    return f.make_user(
        Role.SPECIALIST, program=program_a, username="digest_colleague", first_name="Eli", last_name="Moss"
    )


def _days_ago(n):
    """A day relative to the pinned "today", so the hand-worked counts hold on any pinned day."""
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def caseload_a(program_a, specialist, colleague):
    """Program A today (T; default benchmarks: no contact 14 days, first employer contact 30).

    1 Zebulonia Quistorp (Dana): enrolled T-324, nothing logged -> no recent contact + no employer contact.
    2 Marvellina Oxenbridge (Dana): enrolled T-5, client contact today -> no alert.
    3 Philippa Yardleyson (Dana): enrolled T-29, contact T-20 -> no recent contact.
    4 (Eli): enrolled T-20, nothing logged -> no recent contact.
    Plan steps of client 1's current plan: due today and T-10 open (2 due); T-10 done on T-9, T+1, none: not due.
    Client 2's old plan: a step due T-29, open, not counted (plan not current).
    """
    first, last = CLIENT_NAMES[0::2], CLIENT_NAMES[1::2]
    clients = [f.ClientFactory(program=program_a, first_name=a, last_name=b) for a, b in zip(first, last, strict=True)]
    clients.append(f.ClientFactory(program=program_a, first_name="Ignatius", last_name="Thornbury"))
    f.EnrollmentFactory(client=clients[0], enrollment_date=_days_ago(324), specialist=specialist)
    f.EnrollmentFactory(client=clients[1], enrollment_date=_days_ago(5), specialist=specialist)
    f.ContactFactory(client=clients[1], staff=specialist, contact_date=_days_ago(0))
    f.EnrollmentFactory(client=clients[2], enrollment_date=_days_ago(29), specialist=specialist)
    f.ContactFactory(client=clients[2], staff=specialist, contact_date=_days_ago(20))
    f.EnrollmentFactory(client=clients[3], enrollment_date=_days_ago(20), specialist=colleague)
    plan = f.EmploymentPlanFactory(client=clients[0])
    f.PlanStepFactory(plan=plan, target_date=_days_ago(0))
    f.PlanStepFactory(plan=plan, target_date=_days_ago(10))
    f.PlanStepFactory(plan=plan, target_date=_days_ago(10), completed_on=_days_ago(9))
    f.PlanStepFactory(plan=plan, target_date=_days_ago(-1))
    f.PlanStepFactory(plan=plan, target_date=None)
    old = f.EmploymentPlanFactory(client=clients[1], is_current=False)
    f.PlanStepFactory(plan=old, target_date=_days_ago(29))
    return clients


@pytest.fixture
def action_items_a(program_a):
    """Due T-10 open (overdue); T+3 in progress (coming week); T+7 (a week away: not yet);
    T-29 done; no due date: 1 overdue, 1 due in the coming week."""
    review = f.FidelityReviewFactory(program=program_a)
    f.ActionPlanItemFactory(review=review, due_date=_days_ago(10))
    f.ActionPlanItemFactory(review=review, due_date=_days_ago(-3), status=ActionStatus.IN_PROGRESS)
    f.ActionPlanItemFactory(review=review, due_date=_days_ago(-7))
    f.ActionPlanItemFactory(review=review, due_date=_days_ago(29), status=ActionStatus.DONE)
    f.ActionPlanItemFactory(review=review, due_date=None)
    return review


@pytest.fixture
def program_b_caseload(program_b, specialist_b):
    client = f.ClientFactory(program=program_b, first_name="Bartholomew", last_name="Outsider")
    f.EnrollmentFactory(client=client, enrollment_date=_days_ago(324), specialist=specialist_b)
    return client


@pytest.fixture
def ns(db):
    """A region with two trainers (the reviewers), a program and its supervisor."""
    from types import SimpleNamespace

    region = f.RegionFactory(name="Notified Region")
    program = f.ProgramFactory(agency__region=region, name="Harbor Lights IPS", code="harbor-lights")
    return SimpleNamespace(
        region=region,
        program=program,
        trainer1=f.make_user(Role.TRAINER, region=region, username="n_trainer1"),
        trainer2=f.make_user(Role.TRAINER, region=region, username="n_trainer2"),
        trainer3=f.make_user(Role.TRAINER, region=region, username="n_trainer3"),
        supervisor=f.make_user(Role.SUPERVISOR, program=program, username="n_supervisor"),
    )
