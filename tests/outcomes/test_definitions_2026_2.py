"""The four measures fixed in definition version 2026.2 (issue 12), each on a fixture whose expected
values are worked out by hand from the domain reference (section 3), never by calling the code:

- days to first employer contact: uncontacted clients count as "more than N days";
- employer contacts per specialist per week over the full weeks elapsed in a running quarter;
- job tenure as of the period's end (or the as-of day while it runs), whatever happened later;
- first job starts count clients;
- nothing dated after the as-of day is counted.
"""

import datetime

import pytest

from outcomes import metrics as m
from outcomes.summaries import first_contact_figures
from programs.models import Program, Role

from .. import factories as f
from .outcomes_data import D, employer_contact, enrol, job

Q3 = m.Period.custom(D(2025, 7, 1), D(2025, 9, 30))
Q4_2026 = m.Period.custom(D(2026, 10, 1), D(2026, 12, 31))


@pytest.fixture
def program(db):
    p = f.ProgramFactory(name="Definitions Program")
    s = f.make_user(Role.SPECIALIST, program=p, username="defs_s1")
    return {"programs": Program.objects.filter(pk=p.pk), "program": p, "s": s, "employer": f.EmployerFactory(program=p)}


# ---------------------------------------------------------------------------------------------
# 1. Median days to first employer contact
# ---------------------------------------------------------------------------------------------
def test_median_falls_among_the_uncontacted_is_more_than_n():
    # Four new clients, N = 30, as of 2025-11-01 (every window elapsed): contacted after 5 and 12
    # days, two never contacted (> 30). Sorted: 5, 12, >30, >30 -> the middle pair is (12, >30): "> 30".
    rows = [
        (D(2025, 7, 1), D(2025, 7, 6)),
        (D(2025, 7, 1), D(2025, 7, 13)),
        (D(2025, 7, 10), None),
        (D(2025, 8, 1), None),
    ]
    result = first_contact_figures(rows, 30, D(2025, 11, 1))
    assert result.median is None and result.median_over == 30
    assert (result.within.numerator, result.within.denominator) == (2, 4)


def test_median_below_n_is_exact_with_uncontacted_clients():
    # 3, 9, 20 days and one never contacted: sorted 3, 9, 20, >30 -> middle pair (9, 20) -> 14.5.
    rows = [(D(2025, 7, 1), D(2025, 7, 4)), (D(2025, 7, 1), D(2025, 7, 10)), (D(2025, 7, 1), D(2025, 7, 21))]
    rows.append((D(2025, 7, 2), None))
    result = first_contact_figures(rows, 30, D(2025, 11, 1))
    assert result.median == 14.5 and result.median_over is None


def test_median_above_n_is_exact_when_the_uncontacted_surely_rank_after_it():
    # 10, 40, 50 days + one client enrolled 2025-07-03 and not contacted by 2025-11-01: 121 days waited,
    # so their days are > 121 and rank after 50 -> sorted 10, 40, 50, >121 -> middle pair (40, 50) -> 45.
    contacted = [(D(2025, 7, 1), D(2025, 7, 11)), (D(2025, 7, 1), D(2025, 8, 10)), (D(2025, 7, 1), D(2025, 8, 20))]
    ranked = first_contact_figures([*contacted, (D(2025, 7, 3), None)], 30, D(2025, 11, 1))
    assert ranked.median == 45 and ranked.median_over is None
    exact = first_contact_figures(contacted, 30, D(2025, 11, 1))
    assert exact.median == 40 and exact.median_over is None


def test_median_is_more_than_n_when_an_uncontacted_client_could_rank_in_the_middle():
    # 10, 40, 150 days + the same uncontacted client (> 121 days): sorted 10, 40, then 150 and >121 in an
    # unknown order -> the middle pair is (40, 150 or >121): unknown, above 30 -> "> 30".
    contacted = [(D(2025, 7, 1), D(2025, 7, 11)), (D(2025, 7, 1), D(2025, 8, 10)), (D(2025, 5, 1), D(2025, 9, 28))]
    over = first_contact_figures([*contacted, (D(2025, 7, 3), None)], 30, D(2025, 11, 1))
    assert over.median is None and over.median_over == 30


def test_client_whose_window_is_still_open_is_not_judged():
    # As of 2025-07-20 a client enrolled 2025-07-15, not contacted, is 5 days in: left out. The one
    # contacted after 4 days is the median (4), within target 1/1.
    rows = [(D(2025, 7, 1), D(2025, 7, 5)), (D(2025, 7, 15), None)]
    result = first_contact_figures(rows, 30, D(2025, 7, 20))
    assert result.median == 4 and (result.within.numerator, result.within.denominator) == (1, 1)


def test_outcomes_never_contacted_client_makes_the_median_more_than_30(program):
    # Q3 2025, as of the documented rule (30 Sep + 31 days = 31 Oct): a contacted after 9 days, b
    # never contacted -> sorted 9, >30 -> middle pair (9, >30) -> "> 30". Before version 2026.2 the
    # median left b out and read 9.
    a, b = f.ClientFactory(program=program["program"]), f.ClientFactory(program=program["program"])
    enrol(a, D(2025, 7, 1), specialist=program["s"])
    enrol(b, D(2025, 7, 2), specialist=program["s"])
    employer_contact(program["employer"], D(2025, 7, 10), program["s"], [a])
    out = m.outcomes(program["programs"], Q3)
    assert out.first_contact_days_median is None
    assert out.first_contact_days_median_over == 30
    assert (out.first_contact_within_target.numerator, out.first_contact_within_target.denominator) == (1, 2)


# ---------------------------------------------------------------------------------------------
# 2. Employer contacts per specialist per week, running quarter
# ---------------------------------------------------------------------------------------------
def test_contacts_per_week_over_full_weeks_elapsed(program, db):
    # 2026 Q4 as of Monday 30 Nov 2026: 61 days elapsed (1 Oct..30 Nov) -> 8 full weeks = 1 Oct..25 Nov.
    # Two specialists; 24 face-to-face contacts in those weeks (16 by s, 8 by s2) and 2 more on
    # 27 Nov (in the period, not in a full week). Program: 24 / 2 / 8 = 1.5; s: 16 / 8 = 2.0;
    # s2: 8 / 8 = 1.0. Contacts counted in the period: 26.
    s, employer = program["s"], program["employer"]
    s2 = f.make_user(Role.SPECIALIST, program=program["program"], username="defs_s2")
    for i in range(16):
        employer_contact(employer, D(2026, 10, 1) + datetime.timedelta(days=3 * i), s)
    for i in range(8):
        employer_contact(employer, D(2026, 10, 2) + datetime.timedelta(days=6 * i), s2)
    employer_contact(employer, D(2026, 11, 27), s)
    employer_contact(employer, D(2026, 11, 27), s2)
    as_of = D(2026, 11, 30)
    out = m.outcomes(program["programs"], Q4_2026, as_of=as_of)
    assert out.employer_contacts == 26
    assert out.employer_contacts_per_specialist_week == 1.5
    per = {
        u.username: o.employer_contacts_per_specialist_week
        for u, o in m.outcomes_by_specialist(program["programs"], Q4_2026, as_of=as_of)
    }
    assert per == {"defs_s1": 2.0, "defs_s2": 1.0}


def test_contacts_per_week_of_a_closed_quarter_uses_all_its_weeks(program):
    # Q3 2025 has 92 days = 92/7 weeks; 46 contacts by one specialist -> 46 / (92/7) = 3.5 a week.
    for i in range(46):
        employer_contact(program["employer"], D(2025, 7, 1) + datetime.timedelta(days=2 * i), program["s"])
    out = m.outcomes(program["programs"], Q3, as_of=D(2026, 1, 1))
    assert out.employer_contacts_per_specialist_week == pytest.approx(3.5)


# ---------------------------------------------------------------------------------------------
# 3. Tenure as of the period's end
# ---------------------------------------------------------------------------------------------
def test_tenure_of_a_job_ended_after_the_quarter_is_measured_to_the_quarter_end(program):
    # A job 2025-09-02 .. 2025-12-30 (held across Q3 and Q4) and a job 2025-09-16 still held.
    # As of Q3's end (30 Sep): 28 days = 4 weeks and 14 days = 2 weeks -> median 3 weeks, read as of
    # 2026-02-01 too (the later end date of the first job changes nothing of Q3).
    a, b = f.ClientFactory(program=program["program"]), f.ClientFactory(program=program["program"])
    enrol(a, D(2025, 8, 1), specialist=program["s"])
    enrol(b, D(2025, 8, 1), specialist=program["s"])
    job(a, D(2025, 9, 2), D(2025, 12, 30))
    job(b, D(2025, 9, 16))
    assert m.outcomes(program["programs"], Q3, as_of=D(2026, 2, 1)).tenure_weeks_median == 3
    # Running quarter: as of 2025-09-09 only job a is held, 7 days -> 1 week.
    assert m.outcomes(program["programs"], Q3, as_of=D(2025, 9, 9)).tenure_weeks_median == 1


# ---------------------------------------------------------------------------------------------
# 4. First job starts count clients
# ---------------------------------------------------------------------------------------------
def test_re_enrolled_client_with_two_first_jobs_in_a_quarter_counts_once(program):
    # Episode 1 2025-07-01..2025-07-31 with a job 2025-07-10..07-20; episode 2 from 2025-08-15 with a
    # job 2025-09-01: two job starts, each first in its episode, one client -> first_job_starts 1.
    c = f.ClientFactory(program=program["program"])
    enrol(c, D(2025, 7, 1), closed=D(2025, 7, 31), specialist=program["s"])
    job(c, D(2025, 7, 10), D(2025, 7, 20))
    enrol(c, D(2025, 8, 15), specialist=program["s"])
    job(c, D(2025, 9, 1))
    out = m.outcomes(program["programs"], Q3, as_of=D(2025, 11, 1))
    assert (out.job_starts, out.first_job_starts) == (2, 1)


# ---------------------------------------------------------------------------------------------
# 5. Nothing dated after the as-of day
# ---------------------------------------------------------------------------------------------
def test_future_dated_records_are_not_counted(program):
    # On 30 Nov 2026: a client enrolled 2026-10-05 (active, new); one enrolled 10 Dec (future: not
    # active, not new); a job of the first client starting 15 Dec (future: no start, not working);
    # a contact dated 3 Dec (future: not counted). Active 1, new 1, starts 0, working 0, contacts 0.
    s = program["s"]
    now, later = f.ClientFactory(program=program["program"]), f.ClientFactory(program=program["program"])
    enrol(now, D(2026, 10, 5), specialist=s)
    enrol(later, D(2026, 12, 10), specialist=s, referral=D(2026, 11, 1))
    job(now, D(2026, 12, 15))
    employer_contact(program["employer"], D(2026, 12, 3), s)
    out = m.outcomes(program["programs"], Q4_2026, as_of=D(2026, 11, 30))
    assert (out.active_caseload, out.new_enrollments, out.job_starts, out.working) == (1, 1, 0, 0)
    assert out.employer_contacts == 0


def test_outcomes_defaults_to_the_documented_as_of_rule(program, time_machine):
    # Q3 2025 read on 2026-03-01 without as_of: the rule reads it as of 31 Oct 2025. A client enrolled
    # 2025-07-01 first contacted on 2025-11-20 (after the as-of day) is "not contacted": within 0/1,
    # median "> 30" -- read as of today the contact would count (142 days).
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, 0))
    c = f.ClientFactory(program=program["program"])
    enrol(c, D(2025, 7, 1), specialist=program["s"])
    employer_contact(program["employer"], D(2025, 11, 20), program["s"], [c])
    out = m.outcomes(program["programs"], Q3)
    assert out.first_contact_days_median_over == 30
    assert (out.first_contact_within_target.numerator, out.first_contact_within_target.denominator) == (0, 1)
