"""Fixtures of the clients and caseload tests: a client of program A on specialist A's caseload, another
program's client, and specialist A signed in. Plain helpers are in support.py."""

import pytest

from .. import factories as f
from .support import ago


@pytest.fixture
def own_client(program_a, specialist_a):
    client = f.ClientFactory(program=program_a, first_name="Marlo", last_name="Fenwick")
    f.EnrollmentFactory(client=client, enrollment_date=ago(40), referral_date=ago(45), specialist=specialist_a)
    return client


@pytest.fixture
def other_client(program_b, specialist_b):
    client = f.ClientFactory(program=program_b, first_name="Outside", last_name="Person")
    f.EnrollmentFactory(client=client, enrollment_date=ago(40), specialist=specialist_b)
    return client


@pytest.fixture
def logged_in(client, specialist_a):
    client.force_login(specialist_a)
    return client


@pytest.fixture
def teammate(program_a):
    """Another specialist of program A: may work on program A's clients, though not on their caseload."""
    return f.make_user("specialist", program=program_a, username="teammate_a")
