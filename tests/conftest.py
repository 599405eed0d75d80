import datetime
import os
import shutil
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from programs.models import Role

from . import factories as f
from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, new_context

# One "today" for the whole suite, whatever the real date: IPS_TEST_TODAY=2027-01-01 make test runs it on
# another day. The clock ticks from 09:00 local time on that day, so saves still get increasing timestamps.
# Every thread of this process sees it (the live server too); a subprocess starts its own travel to the same
# instant with tests/pinned_clock.py, and Chromium's pages get it from tests/browser.py's new_context().
TODAY = datetime.date.fromisoformat(os.environ.get("IPS_TEST_TODAY") or "2026-11-30")
_travel = time_machine.travel(
    datetime.datetime.combine(
        TODAY, datetime.time(9, 0), zoneinfo.ZoneInfo(os.environ.get("TIME_ZONE", "America/New_York"))
    ),
    tick=True,
)
_TRAVELLING = pytest.StashKey[bool]()


def pytest_configure(config):
    # The fidelity PDF tests read the PDF back with pdftotext; without it they would test nothing.
    if shutil.which("pdftotext") is None:
        raise pytest.UsageError(
            "pdftotext is not installed: the tests read generated PDFs back with it. "
            "Run scripts/ensure-system-deps (it installs poppler-utils), or apt-get install poppler-utils."
        )
    # Started before the test modules are imported, so module-level dates see the pinned day too.
    _travel.start()
    config.stash[_TRAVELLING] = True


def pytest_unconfigure(config):
    if config.stash.get(_TRAVELLING, False):
        _travel.stop()


def pytest_collection_modifyitems(config, items):
    # Browser tests run last, in each xdist worker too (workers take tests in collection order): once
    # Playwright has started, its asyncio loop stays "running" in the main thread, and Django refuses
    # database calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The `browser` fixture sets it, so it
    # must never be on for a test that is not a browser test.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a database file (in this run's, or this xdist worker's, temporary directory) rather
    than SQLite's shared in-memory database. With the in-memory one, the live server's request threads all
    share the test's single connection, and two concurrent requests (htmx refreshing two parts of a page)
    trip over each other ("database table is locked"); with a file, each thread has its own connection,
    WAL and IMMEDIATE transactions (settings.py) serialize the writers, and a real Celery worker opens the
    same file."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(scope="session")
def browser():
    """One Playwright and one Chromium for the run (per xdist worker)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    allow = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see pytest_collection_modifyitems
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if allow is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow


@pytest.fixture
def phone_page(browser):
    context = new_context(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 at production strength costs ~0.5 s a user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def steady_session(settings):
    """The session's idle expiry is renewed at most once a minute of real time; a slow test on a loaded
    machine would otherwise count a renewal's write in its query budget. tests/security tests renewal."""
    settings.SESSION_RENEW_SECONDS = 24 * 60 * 60


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """Most tests sign in with force_login and no second factor: no role requires one here.
    tests/security's `two_factor_required` fixture turns the requirement back on (accounts/mfa.py)."""
    settings.MFA_REQUIRED_ROLES = ()


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
