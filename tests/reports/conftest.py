"""Fixtures shared by the dashboard and quarterly report tests."""

import datetime
import zoneinfo

import pytest
from django.conf import settings

from fidelity.models import ReviewStatus
from outcomes.periods import Period
from programs.models import Role

from .. import factories as f
from ..quarterly_data import YEAR, Q, build_program
from .dashboard_data import TODAY, D, build_world, enrol, finalized


@pytest.fixture
def dashboard_today(time_machine):
    """The dashboard tests' today (15 Jun 2026: 2026Q2 runs, 2026Q1 is the last complete quarter)."""
    time_machine.move_to(datetime.datetime.combine(TODAY, datetime.time(9, 0), zoneinfo.ZoneInfo(settings.TIME_ZONE)))
    return TODAY


@pytest.fixture
def world(dashboard_today, program_a, program_b, supervisor_a):
    """Program A's hand-computed clients, jobs and contacts (tests/reports/dashboard_data.py)."""
    return build_world(program_a, program_b)


@pytest.fixture
def region_world(world, region):
    """Program A (rate 40.0% in 2026Q1, 66.7% in 2025Q4) and program C in the same region (1 of 1
    working in both quarters), program B elsewhere; fidelity reviews of A and B."""
    program_c = f.ProgramFactory(agency__region=region, name="Program C", code="program-c")
    specialist = f.make_user(Role.SPECIALIST, program=program_c, username="dash_c1")
    worker = enrol(program_c, specialist, D(2025, 9, 1), first_name="Wendell", last_name="Gale")
    f.JobStartFactory(client=worker, start_date=D(2025, 10, 6))
    finalized(world["program"], 90, D(2025, 1, 10))
    finalized(world["program"], 104, D(2026, 2, 10))  # latest finalized: 104 (good)
    finalized(world["program"], None, D(2026, 5, 1), status=ReviewStatus.SCHEDULED)  # not finalized: ignored
    finalized(world["other"], 120, D(2026, 2, 10))
    return {**world, "c": program_c}


@pytest.fixture
def period(db):
    """The quarter of the quarterly report tests (tests/quarterly_data.py)."""
    return Period.quarter(YEAR, Q)


@pytest.fixture
def made(program_a):
    """Program A with the quarterly report tests' clients, jobs, contacts and data-quality problems."""
    return build_program(program_a)
