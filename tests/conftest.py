import pytest

from programs.models import Role

from . import browser as browser_helpers
from . import factories as f


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
