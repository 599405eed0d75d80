"""Fixtures of the API tests: program A's records (and program B's counterparts), API clients signed
in by token or session, and a helper to create tokens through the service."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import create_token
from programs.models import Role

from .. import factories as f

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    # Throttle counts live in the cache: each test starts from none.
    cache.clear()


@pytest.fixture
def today():
    return timezone.localdate()


def _enrolled(program, today, specialist=None, **names):
    client = f.ClientFactory(program=program, **names)
    f.EnrollmentFactory(
        client=client, referral_date=today - 90 * DAY, enrollment_date=today - 80 * DAY, specialist=specialist
    )
    return client


@pytest.fixture
def client_a(program_a, specialist_a, today):
    return _enrolled(program_a, today, specialist=specialist_a, first_name="Orrin", last_name="Ashdown")


@pytest.fixture
def client_b(program_b, specialist_b, today):
    return _enrolled(program_b, today, specialist=specialist_b, first_name="Bettina", last_name="Brook")


@pytest.fixture
def employer_a(program_a):
    return f.EmployerFactory(program=program_a, name="The Corner Bakery")


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
def token_for():
    def make(user, days=90, name="sync"):
        return create_token(user=user, name=name, days=days)

    return make


@pytest.fixture
def api_as(token_for):
    """An APIClient authenticated with a fresh token of `user`."""

    def make(user):
        api = APIClient()
        _, raw = token_for(user)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return api

    return make


@pytest.fixture
def api_a(api_as, specialist_a):
    return api_as(specialist_a)


@pytest.fixture
def api_b(api_as, specialist_b):
    return api_as(specialist_b)


@pytest.fixture
def trainer_api(api_as, trainer):
    return api_as(trainer)


@pytest.fixture
def supervisor_api(api_as, supervisor_a):
    return api_as(supervisor_a)


@pytest.fixture
def other_specialist_a(program_a):
    return f.make_user(Role.SPECIALIST, program=program_a, username="spec_a2")
