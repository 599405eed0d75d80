"""Fixtures of the jobs tests: program A's enrolled client, employer, job, logged contact and support
(each with another program's counterpart), and specialist A signed in. Plain helpers are in support.py."""

import pytest
from django.utils import timezone

from .. import factories as f
from .support import DAY, enrolled_client


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def client_a(program_a, specialist_a, today):
    return enrolled_client(program_a, today, specialist=specialist_a, first_name="Orrin", last_name="Ashdown")


@pytest.fixture
def client_b(program_b, today):
    return enrolled_client(program_b, today)


@pytest.fixture
def employer_a(program_a):
    return f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")


@pytest.fixture
def employer_b(program_b):
    return f.EmployerFactory(program=program_b, name="Elsewhere Hardware")


@pytest.fixture
def job_a(client_a, employer_a, today):
    return f.JobStartFactory(client=client_a, employer=employer_a, start_date=today - 30 * DAY)


@pytest.fixture
def job_b(client_b, employer_b, today):
    return f.JobStartFactory(client=client_b, employer=employer_b, start_date=today - 30 * DAY)


@pytest.fixture
def contact_a(employer_a, specialist_a, client_a, today):
    """Specialist A's client-specific contact of two days ago (last week's on a Monday or a Tuesday)."""
    return f.EmployerContactFactory(
        employer=employer_a,
        specialist=specialist_a,
        contact_date=today - 2 * DAY,
        clients=[client_a],
        client_specific=True,
        purpose="client_specific",
        contact_person="Wren Halvorsen",
    )


@pytest.fixture
def contact_b(employer_b, today):
    return f.EmployerContactFactory(employer=employer_b, contact_date=today - DAY)


@pytest.fixture
def support_a(job_a, specialist_a, today):
    return f.FollowAlongSupportFactory(
        job=job_a, support_date=today - 5 * DAY, staff=specialist_a, description="Met the shift lead", minutes=30
    )


@pytest.fixture
def support_b(job_b, today):
    return f.FollowAlongSupportFactory(job=job_b, support_date=today - 3 * DAY)


@pytest.fixture
def web(client, specialist_a):
    client.force_login(specialist_a)
    return client


@pytest.fixture
def teammate(program_a):
    """Another specialist of program A (not the client's own)."""
    return f.make_user("specialist", program=program_a, username="teammate_a")


@pytest.fixture
def outsider(program_b):
    """A specialist of program B."""
    return f.make_user("specialist", program=program_b, username="outsider_b")
