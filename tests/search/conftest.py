import pytest

from programs.models import Role
from tests import factories as f


@pytest.fixture
def colleague_a(program_a):
    return f.make_user(Role.SPECIALIST, program=program_a, username="colleague_a")


@pytest.fixture
def colleagues_client(program_a, colleague_a):
    """A client on a colleague's caseload in the same program (IPS teams cover for each other)."""
    client = f.ClientFactory(
        program=program_a, first_name="Rosalind", last_name="Okafor", record_number="A-7731", phone="(555) 010-2233"
    )
    f.EnrollmentFactory(client=client, specialist=colleague_a)
    return client


@pytest.fixture
def other_programs_client(program_b):
    return f.ClientFactory(program=program_b, first_name="Rosalind", last_name="Okafor", record_number="B-7731")
