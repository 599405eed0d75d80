"""The set-based figures (issue #16) count exactly what the per-period figures and drill-downs count:
the trend in one query, job starts per month in one query, `outcomes(figures=...)`, and the recent
contacts a week per specialist."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import metrics as m
from programs.models import Program

from .. import factories as f
from .outcomes_data import D, enrol, job

pytestmark = pytest.mark.django_db

Q1 = m.Period.quarter(2026, 1, start_month=1)
AS_OF = D(2026, 4, 5)
MONTHS = [m.Period.month(2025, month) for month in range(1, 13)] + [m.Period.month(2026, mo) for mo in (1, 2, 3, 4)]


def queries(func, *args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = func(*args, **kwargs)
    return result, len(ctx.captured_queries)


@pytest.fixture
def settings_row(world):
    m.outcomes(world["programs"], Q1, as_of=AS_OF)  # the benchmark settings row exists from here on


@pytest.mark.parametrize("denominator", ["all_active", "out_of_work"])
@pytest.mark.parametrize("who", [None, "s1", "s2"])
def test_trend_is_each_quarters_rate_in_one_query(world, settings_row, denominator, who):
    specialists = None if who is None else [world[who]]
    trend, n = queries(
        m.employment_rate_trend, world["programs"], Q1, 6, specialists=specialists, denominator=denominator
    )
    assert n <= 2  # the settings row + one query for the six quarters
    assert [p for p, _ in trend] == Q1.quarters_back(6)
    for quarter, rate in trend:
        one = m.outcomes(world["programs"], quarter, specialists=specialists, denominator=denominator, as_of=AS_OF)
        assert rate == one.employment_rate, quarter.code
    assert any(rate.numerator for _, rate in trend)  # the world has working clients in these quarters


@pytest.mark.parametrize("who", [None, "s1", "s2"])
def test_job_starts_per_month_match_their_drilldowns(world, who):
    c = world["c"]
    # A second first start for c7 in its second episode, a non-competitive one, and a start the month
    # before an enrollment that begins later in the same month (active in the month: counted).
    job(c[7], D(2026, 2, 20))
    late = f.ClientFactory(program=world["program"])
    enrol(late, D(2026, 4, 20), specialist=world["s2"])
    job(late, D(2026, 4, 2))
    specialists = None if who is None else [world[who].pk]
    counts, n = queries(m.job_starts_by_period, world["programs"], MONTHS, specialists)
    assert n == 1
    expected = {
        p.code: (
            m.job_starts(world["programs"], p, specialists).count(),
            m.first_job_starts(world["programs"], p, specialists).count(),
        )
        for p in MONTHS
    }
    assert counts == expected
    if who != "s1":
        assert sum(starts for starts, _ in counts.values()) >= 5 and counts["2026-04"][0] == 1


def test_job_starts_per_month_refuses_overlapping_periods(world):
    with pytest.raises(ValueError):
        m.job_starts_by_period(world["programs"], [Q1, m.Period.month(2026, 2)])
    assert m.job_starts_by_period(world["programs"], []) == {}


def test_job_starts_per_month_leave_other_programs_out(world):
    other = f.ProgramFactory(name="Another Program")
    client = f.ClientFactory(program=other)
    enrol(client, D(2025, 12, 1))
    job(client, D(2026, 3, 3))
    mine = m.job_starts_by_period(world["programs"], MONTHS)
    both = m.job_starts_by_period(Program.objects.filter(pk__in=[world["program"].pk, other.pk]), MONTHS)
    assert both["2026-03"] == (mine["2026-03"][0] + 1, mine["2026-03"][1] + 1)


CARD_FIGURES = ["active_caseload", "working", "employment_rate", "job_starts", "first_contact_within_target"]


@pytest.mark.parametrize("denominator", ["all_active", "out_of_work"])
def test_outcomes_with_some_figures_counts_them_alike_with_fewer_queries(world, settings_row, denominator):
    full, n_full = queries(m.outcomes, world["programs"], Q1, as_of=AS_OF, denominator=denominator)
    some, n_some = queries(
        m.outcomes, world["programs"], Q1, as_of=AS_OF, denominator=denominator, figures=CARD_FIGURES
    )
    assert n_some < n_full
    for name in CARD_FIGURES + ["first_job_starts", "first_contact_days_median_over"]:
        assert getattr(some, name) == getattr(full, name), name
    assert (some.new_enrollments, some.employer_contacts) == (0, 0)  # not asked for: not counted
    with pytest.raises(ValueError):
        m.outcomes(world["programs"], Q1, figures=["no_such_figure"])


@pytest.mark.parametrize("period", [Q1, m.Period.custom(D(2026, 2, 1), D(2026, 3, 31))], ids=["quarter", "custom"])
def test_contacts_per_week_by_specialist_match_outcomes_by_specialist(world, settings_row, period):
    full = m.outcomes_by_specialist(world["programs"], period, as_of=AS_OF)
    weekly, n = queries(m.contacts_per_week_by_specialist, world["programs"], period, as_of=AS_OF)
    assert n <= 3  # the settings row, the contacts, the staff
    assert {u.pk: weekly.get(u.pk) for u, _ in full} == {u.pk: o.employer_contacts_per_specialist_week for u, o in full}
    assert weekly[world["s1"].pk] is not None and weekly[world["s1"].pk] > 0


def test_a_running_quarter_counts_contacts_of_full_weeks_only(world, settings_row):
    running = m.Period.quarter(2026, 1, start_month=1)
    as_of = running.start + datetime.timedelta(days=60)  # 8 full weeks elapsed
    full = dict(m.outcomes_by_specialist(world["programs"], running, as_of=as_of))
    weekly = m.contacts_per_week_by_specialist(world["programs"], running, as_of=as_of)
    assert {pk: weekly.get(pk) for pk in (u.pk for u in full)} == {
        u.pk: o.employer_contacts_per_specialist_week for u, o in full.items()
    }
