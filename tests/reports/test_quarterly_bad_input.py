"""Bad input to the operator command and the quarter-close task: refused with a clear error (a non-zero
exit), never a report of the wrong scope or a quarter that has not ended (whose early close would block
the real one)."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.errors import RuleViolation
from outcomes.periods import Period
from reports.models import QuarterClose, QuarterlyReport
from reports.quarterly import closing, tasks

from ..quarterly_data import YEAR, Q

pytestmark = pytest.mark.django_db

QUARTER = f"{YEAR}Q{Q}"


def generate(*args):
    call_command("generate_quarterly_reports", "--quarter", *args)


def test_an_unknown_region_with_a_program_is_refused(program_a, made):
    with pytest.raises(CommandError, match="No region with id 99999"):
        generate(QUARTER, "--program", str(program_a.pk), "--region", "99999", "--sync")
    assert not QuarterlyReport.objects.exists()


def test_a_program_outside_the_region_is_refused(program_a, program_b, made):
    with pytest.raises(CommandError, match="is not in region"):
        generate(QUARTER, "--program", str(program_a.pk), "--region", str(program_b.agency.region_id))
    assert not QuarterlyReport.objects.exists()


def test_a_program_with_its_own_region_is_accepted(program_a, made):
    generate(QUARTER, "--program", str(program_a.pk), "--region", str(program_a.agency.region_id), "--sync")
    assert QuarterlyReport.objects.get().program == program_a


def test_a_quarter_before_any_data_is_refused(program_a, made):
    with pytest.raises(CommandError, match="before the first recorded referral"):
        generate("1999Q1", "--program", str(program_a.pk), "--sync")
    assert not QuarterlyReport.objects.exists()


def test_without_any_enrollment_nothing_is_generated(program_a):
    with pytest.raises(CommandError, match="No enrollment is recorded yet"):
        generate(QUARTER, "--sync")


@pytest.mark.parametrize("running", [True, False], ids=["running quarter", "future quarter"])
def test_a_quarter_that_has_not_ended_is_refused(program_a, made, running):
    # The quarter holding the pinned today (whatever IPS_TEST_TODAY is), and a later one.
    code = Period.quarter_containing(timezone.localdate()).code if running else "2030Q1"
    with pytest.raises(CommandError, match="has not ended yet"):
        generate(code, "--sync")
    assert not QuarterlyReport.objects.exists()


def test_closing_a_quarter_that_has_not_ended_is_refused(program_a, made):
    with pytest.raises(RuleViolation, match="has not ended yet"):
        closing.close_quarter(Period.quarter(2030, 1))
    with pytest.raises(RuleViolation, match="has not ended yet"):
        tasks.close_quarter.apply(args=(2030, 1)).get()
    assert not QuarterClose.objects.exists() and not QuarterlyReport.objects.exists()
    # The real close of an ended quarter still happens.
    assert closing.close_quarter(Period.quarter(YEAR, Q))
