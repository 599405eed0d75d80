"""outcomes.metrics.outcomes and its siblings against a hand-computed fixture (`world`, conftest.py).

Every expected number below is written as a literal and derived by hand in the comment next to
it (from the fixture's table), never by calling the code under test.
"""

import json

import pytest

from benchmarks.models import BenchmarkSettings
from outcomes import metrics as m
from programs.models import Program

from .. import factories as f
from .outcomes_data import AS_OF, Q1, D, enrol, job

pytestmark = pytest.mark.django_db


def test_outcomes_for_the_quarter(world):
    o = m.outcomes(world["programs"], Q1, as_of=AS_OF)
    # Active: c1 (enrolled last day), c2 (closed first day), c4, c5, c6, c7, c8 = 7;
    # not c3 (closed the day before), not c9 (no enrollment date), not c10/c11 (closed in 2025).
    assert o.active_caseload == 7
    # Working: c4 (job spanning Q4/Q1), c5 (no end date), c6 = 3; c8's job is not competitive.
    assert o.working == 3
    assert o.employment_rate == m.Rate(3, 7)
    assert o.denominator == "all_active"
    # Competitive starts in Q1: c5 02-02, c6 03-01, c6 03-20 = 3 (c8's non-competitive excluded);
    # first in episode: c5's and c6's 03-01 = 2.
    assert o.job_starts == 3
    assert o.first_job_starts == 2
    # New: c1, c6 (2nd episode), c7 (2nd episode) = 3. Closed: c2 (01-01), c7 (01-20) = 2.
    assert o.new_enrollments == 3
    assert o.closures == 2
    # Education overlapping Q1 among active clients: c8 only (c3 inactive, c1 starts in April).
    assert o.in_education == 1
    # First contact: c6 10 days, c7 40 days, c1 none. Median(10, 40) = 25.
    assert o.first_contact_days_median == 25.0
    # As of 04-05 c1's 30-day window (to 04-30) is still running: 1 (c6) of 2 (c6, c7).
    assert o.first_contact_within_target == m.Rate(1, 2)
    # Specialists S1, S2 (the supervisor is not one): 5 contacts / 2 / (90 / 7 weeks) = 35/180.
    assert o.specialist_count == 2
    assert o.employer_contacts == 5
    assert o.employer_contacts_per_specialist_week == pytest.approx(35 / 180)
    # Open on 03-31: c1, c4, c5, c6, c7, c8 = 6 (c2 closed 01-01) -> 6 / 2 specialists.
    assert o.caseload_at_end == 6
    assert o.caseload_per_specialist == 3.0
    # Jobs held in Q1: c4 76 days (12-01..02-15), c5 57 days (02-02..03-31), c6A 30, c6B 11 days
    # -> median (30 + 57) / 2 = 43.5 days = 43.5 / 7 weeks.
    assert o.jobs_held == 4
    assert o.tenure_weeks_median == pytest.approx(43.5 / 7)
    # Hours: c4 25 yes, c5 10 no, c6B 20 yes (boundary), c6A unknown (left out) -> 2 / 3.
    assert o.hours_20_plus == m.Rate(2, 3)
    # Wages 16, 14, 18, 15 -> median (15 + 16) / 2.
    assert o.hourly_wage_median == 15.5


def test_out_of_work_denominator(world):
    # Latest active episodes with employed_at_enrollment=False: all but c5 -> 6;
    # working among them: c4, c6 -> 2 (c5 was employed at enrollment).
    o = m.outcomes(world["programs"], Q1, denominator="out_of_work", as_of=AS_OF)
    assert o.employment_rate == m.Rate(2, 6)
    assert o.denominator == "out_of_work"
    assert o.active_caseload == 7  # the caseload itself is not restricted
    assert m.active_clients(world["programs"], Q1, denominator="out_of_work").count() == 6


def test_denominator_default_comes_from_settings(world):
    settings = BenchmarkSettings.current()
    settings.employment_rate_denominator = "out_of_work"
    settings.save()
    assert m.outcomes(world["programs"], Q1, as_of=AS_OF).employment_rate == m.Rate(2, 6)
    assert m.outcomes(world["programs"], Q1, denominator="all_active", as_of=AS_OF).employment_rate == m.Rate(3, 7)


def test_previous_quarter(world):
    q4 = m.Period.custom(D(2025, 10, 1), D(2025, 12, 31))
    o = m.outcomes(world["programs"], q4, as_of=AS_OF)
    # Active in Q4 2025: c2, c3 (closed 12-31), c4, c5, c7 (1st episode), c8 = 6; working: c3, c4.
    assert o.active_caseload == 6
    assert o.employment_rate == m.Rate(2, 6)
    # Started in Q4: c3's job 2025-11-01 and c4's 2025-12-01, each the first of its episode.
    assert (o.job_starts, o.first_job_starts) == (2, 2)


def test_first_contact_depends_on_as_of(world):
    programs = world["programs"]
    # As of 05-15 c1's window (03-31 + 30 days) has elapsed with no contact: 1 of 3.
    assert m.outcomes(programs, Q1, as_of=D(2026, 5, 15)).first_contact_within_target == m.Rate(1, 3)
    # As of 03-01 c7's contact (03-22) has not happened and its window runs to 03-12: only c6.
    early = m.outcomes(programs, Q1, as_of=D(2026, 3, 1))
    assert early.first_contact_within_target == m.Rate(1, 1)
    assert early.first_contact_days_median == 10.0


def test_specialist_attribution(world):
    rows = m.outcomes_by_specialist(world["programs"], Q1, as_of=AS_OF)
    by_user = {user.username: o for user, o in rows}
    assert [user.username for user, _ in rows] == ["metrics_s1", "metrics_s2"]  # ordered by last name
    s1, s2 = by_user["metrics_s1"], by_user["metrics_s2"]
    # S1: c1, c2, c8 (c7's latest episode is S2's). S2: c4, c5, c6, c7.
    assert (s1.active_caseload, s1.working) == (3, 0)
    assert (s2.active_caseload, s2.working) == (4, 3)
    assert s2.employment_rate == m.Rate(3, 4)
    assert s1.employment_rate == m.Rate(0, 3)
    assert (s1.job_starts, s2.job_starts, s2.first_job_starts) == (0, 3, 2)
    assert (s1.new_enrollments, s2.new_enrollments) == (1, 2)  # c1 | c6, c7
    assert (s1.closures, s2.closures) == (1, 1)  # c2 | c7's first episode (c7 is S2's now)
    # S1: 3 contacts / 1 / (90/7) = 21/90; S2: 2 / (90/7) = 14/90.
    assert s1.employer_contacts_per_specialist_week == pytest.approx(21 / 90)
    assert s2.employer_contacts_per_specialist_week == pytest.approx(14 / 90)
    # Open on 03-31: S1 c1, c8; S2 c4, c5, c6, c7.
    assert (s1.caseload_per_specialist, s2.caseload_per_specialist) == (2.0, 4.0)
    # The same figures through the `specialists` filter.
    only_s2 = m.outcomes(world["programs"], Q1, specialists=[world["s2"].pk], as_of=AS_OF)
    assert (only_s2.active_caseload, only_s2.working, only_s2.job_starts, only_s2.specialist_count) == (4, 3, 3, 1)
    assert set(m.active_clients(world["programs"], Q1, specialists=[world["s1"].pk])) == {
        world["c"][1],
        world["c"][2],
        world["c"][8],
    }


def test_empty_program_has_no_division_by_zero(world):
    empty = f.ProgramFactory(name="Empty Program")
    o = m.outcomes(Program.objects.filter(pk=empty.pk), Q1, as_of=AS_OF)
    assert o.active_caseload == 0
    assert o.employment_rate.value is None
    assert o.employment_rate.percent is None
    assert o.first_contact_within_target.value is None
    assert o.hours_20_plus.value is None
    assert o.employer_contacts_per_specialist_week is None
    assert o.caseload_per_specialist is None
    assert o.first_contact_days_median is None and o.tenure_weeks_median is None
    assert m.rate_band(o.employment_rate).code == "no_data"
    by_program = m.outcomes_by_program(Program.objects.filter(pk__in=[empty.pk, world["program"].pk]), Q1)
    assert by_program[empty.pk].active_caseload == 0
    assert by_program[empty.pk].employment_rate.value is None
    assert by_program[world["program"].pk].employment_rate == m.Rate(3, 7)
    assert m.outcomes(Program.objects.none(), Q1).as_dict()["employment_rate"]["value"] is None


def test_as_dict_is_json_safe(world):
    data = m.outcomes(world["programs"], Q1, as_of=AS_OF).as_dict()
    assert json.loads(json.dumps(data))["employment_rate"] == {
        "numerator": 3,
        "denominator": 7,
        "value": 3 / 7,
        "percent": 42.9,
    }


def test_employment_rate_trend(world):
    q1 = m.Period.quarter(2026, 1, start_month=1)
    trend = m.employment_rate_trend(world["programs"], q1, n=3)
    # Q3 2025: active c2, c3, c4 (from 09-01), c6 (ep1 to 08-31), c7? no (11-01), c8 (08-01) = 5;
    # working: c6? its job ended 2025-06-30 -> none = 0/5. Q4 2025: 2/6 and Q1 2026: 3/7 (above).
    assert [p.code for p, _ in trend] == ["2025Q3", "2025Q4", "2026Q1"]
    assert [rate for _, rate in trend] == [m.Rate(0, 5), m.Rate(2, 6), m.Rate(3, 7)]
    # out_of_work in Q1: 2/6 (see test_out_of_work_denominator).
    assert m.employment_rate_trend(world["programs"], q1, n=1, denominator="out_of_work") == [(q1, m.Rate(2, 6))]


def test_quarter_start_month_other_than_january(world):
    # With quarters starting in July, 2025 Q3 is Jan-Mar 2026: the same days as Q1 above.
    q = m.Period.quarter(2025, 3, start_month=7)
    assert (q.start, q.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert m.outcomes(world["programs"], q, as_of=AS_OF).employment_rate == m.Rate(3, 7)
    settings = BenchmarkSettings.current()
    settings.quarter_start_month = 7
    settings.save()
    default = m.Period.quarter_containing(D(2026, 2, 10))
    assert (default.code, default.start, default.end) == ("2025Q3", D(2026, 1, 1), D(2026, 3, 31))
    assert m.outcomes(world["programs"], default, as_of=AS_OF).active_caseload == 7


CONTRACT_FIELDS = {
    "active_caseload",
    "working",
    "employment_rate",
    "denominator",
    "job_starts",
    "first_job_starts",
    "new_enrollments",
    "closures",
    "in_education",
    "first_contact_days_median",
    "first_contact_within_target",
    "employer_contacts_per_specialist_week",
    "specialist_count",
    "caseload_per_specialist",
    "tenure_weeks_median",
    "hours_20_plus",
    "hourly_wage_median",
}


def test_contract_fields_and_arguments(world):
    o = m.outcomes(world["programs"], Q1, specialists=[world["s1"], world["s2"]], as_of=AS_OF)
    assert set(o.as_dict()) >= CONTRACT_FIELDS
    # User objects work as well as ids; both specialists = the whole program here.
    assert (o.active_caseload, o.working, o.specialist_count, o.employer_contacts) == (7, 3, 2, 5)
    with pytest.raises(ValueError):
        m.outcomes(world["programs"], Q1, denominator="everyone")
    with pytest.raises(ValueError):
        m.active_clients(world["programs"], Q1, denominator="everyone")


def test_other_programs_are_not_counted(world):
    other = f.ProgramFactory(name="Other Program")
    stranger = f.ClientFactory(program=other)
    enrol(stranger, D(2026, 1, 5), specialist=world["s1"])  # even with a specialist of P
    job(stranger, D(2026, 2, 1))
    assert m.outcomes(world["programs"], Q1, as_of=AS_OF).employment_rate == m.Rate(3, 7)
    both = Program.objects.filter(pk__in=[other.pk, world["program"].pk])
    assert m.outcomes(both, Q1, as_of=AS_OF).employment_rate == m.Rate(4, 8)
    by_program = m.outcomes_by_program(both, Q1, as_of=AS_OF)
    assert by_program[other.pk].employment_rate == m.Rate(1, 1)
    assert by_program[other.pk].specialist_count == 0  # S1 is a member of P only
    assert by_program[other.pk].caseload_per_specialist is None


def test_tenure_of_jobs_still_held_stops_at_as_of(world):
    # As of 03-15: c4 76 days (ended 02-15), c5 02-02..03-15 = 41, c6A 03-01..03-15 = 14;
    # c6B starts 03-20, after the as-of day: not counted (nothing dated after as_of) -> median 41 days.
    o = m.outcomes(world["programs"], Q1, as_of=D(2026, 3, 15))
    assert o.tenure_weeks_median == pytest.approx(41 / 7)
