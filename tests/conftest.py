import datetime
import os
import zoneinfo

import pytest
import time_machine

from programs.models import Role

from . import browser as browser_helpers
from . import factories as f

# One "today" for the whole suite, whatever the real date: IPS_TEST_TODAY=2027-01-01 make test runs it on
# another day. The clock ticks from 09:00 local time on that day, so saves still get increasing timestamps.
TODAY = datetime.date.fromisoformat(os.environ.get("IPS_TEST_TODAY") or "2026-11-30")
_travel = time_machine.travel(
    datetime.datetime.combine(
        TODAY, datetime.time(9, 0), zoneinfo.ZoneInfo(os.environ.get("TIME_ZONE", "America/New_York"))
    ),
    tick=True,
)


def pytest_configure(config):
    # Started before the test modules are imported, so module-level dates see the pinned day too.
    _travel.start()


def pytest_unconfigure(config):
    _travel.stop()


def pytest_sessionfinish(session, exitstatus):
    browser_helpers.shutdown()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.5 s a user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region(db):
    return f.RegionFactory()


@pytest.fixture
def program_a(region):
    return f.ProgramFactory(agency__region=region, name="Program A")


@pytest.fixture
def program_b(db):
    """Another region's program: nothing in it may leak to program A's staff."""
    return f.ProgramFactory(name="Program B")


@pytest.fixture
def specialist_a(program_a):
    return f.make_user(Role.SPECIALIST, program=program_a, username="spec_a")


@pytest.fixture
def specialist_b(program_b):
    return f.make_user(Role.SPECIALIST, program=program_b, username="spec_b")


@pytest.fixture
def supervisor_a(program_a):
    return f.make_user(Role.SUPERVISOR, program=program_a, username="super_a")


@pytest.fixture
def trainer(region):
    return f.make_user(Role.TRAINER, region=region, username="trainer_r")


@pytest.fixture
def admin_user(db):
    return f.make_user(Role.ADMIN, username="global_admin", is_staff=True)
