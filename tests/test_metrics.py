"""outcomes.metrics against a hand-computed fixture.

Every expected number below is written as a literal and derived by hand in the comment next to
it (from the fixture's table), never by calling the code under test.
"""

import datetime
from decimal import Decimal

import pytest

from benchmarks.models import BenchmarkSettings
from clients.models import ContactMode
from outcomes import metrics as m
from programs.models import Program, Role

from . import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = m.Period.custom(D(2026, 1, 1), D(2026, 3, 31))  # 90 days
AS_OF = D(2026, 4, 5)


def enrol(client, start, *, closed=None, specialist=None, employed=False, referral=None):
    return f.EnrollmentFactory(
        client=client,
        referral_date=referral or (start - datetime.timedelta(days=7)),
        enrollment_date=start,
        closure_date=closed,
        closure_reason="moved" if closed else "",
        specialist=specialist,
        employed_at_enrollment=employed,
    )


def job(client, start, end=None, *, hours="20", wage="15.00", competitive=True, group="35"):
    return f.JobStartFactory(
        client=client,
        start_date=start,
        end_date=end,
        end_type="quit" if end else "",
        hours_per_week=None if hours is None else Decimal(hours),
        hourly_wage=None if wage is None else Decimal(wage),
        is_competitive=competitive,
        occupation_group=group,
    )


def employer_contact(employer, day, specialist, clients=(), face_to_face=True):
    return f.EmployerContactFactory(
        employer=employer, contact_date=day, specialist=specialist, face_to_face=face_to_face, clients=list(clients)
    )


@pytest.fixture
def world(db):
    """Program P, specialists S1 and S2, a supervisor, and these clients (quarter Q1 = 2026-01-01..03-31):

    c1  enrolled 2026-03-31 (last day of Q1), S1                         -> active, new
    c2  2025-06-01 .. closed 2026-01-01 (first day), S1                  -> active, closure
    c3  2025-05-01 .. closed 2025-12-31 (day before), S1, job 2025-11-01 open -> NOT active
    c4  2025-09-01, S2, job 2025-12-01..2026-02-15 25 h $16              -> working Q4 and Q1
    c5  2025-10-15, S2, employed at enrollment, job 2026-02-02 open 10 h $14 -> working, first start
    c6  ep1 2025-01-10..2025-08-31 S1, job 2025-03-01..2025-06-30;
        ep2 2026-01-15 S2, job A 2026-03-01 open (no hours) $18, job B 2026-03-20 open 20 h $15
                                                                         -> once; A first start, B not
    c7  ep1 2025-11-01..closed 2026-01-20 S1; ep2 2026-02-10 S2          -> once, attributed to S2
    c8  2025-08-01, S1, NON-competitive job 2026-01-05 open; education 2025-09-01..2026-01-10
    c9  referred 2025-12-01, no enrollment date                          -> data quality only
    c10 2025-02-01..2025-06-30 S1, job 2026-09-15 (19.5 months later)    -> cohort, not started
    c11 2025-03-31..2025-05-01 S1, job 2026-09-30 (exactly 18 months)    -> cohort, started
    """
    program = f.ProgramFactory(name="Metrics Program")
    s1 = f.make_user(Role.SPECIALIST, program=program, username="metrics_s1", last_name="Aaa")
    s2 = f.make_user(Role.SPECIALIST, program=program, username="metrics_s2", last_name="Bbb")
    sup = f.make_user(Role.SUPERVISOR, program=program, username="metrics_sup")
    employer = f.EmployerFactory(program=program)
    c = {i: f.ClientFactory(program=program) for i in range(1, 12)}

    enrol(c[1], D(2026, 3, 31), specialist=s1)
    enrol(c[2], D(2025, 6, 1), closed=D(2026, 1, 1), specialist=s1)
    enrol(c[3], D(2025, 5, 1), closed=D(2025, 12, 31), specialist=s1)
    job(c[3], D(2025, 11, 1))
    enrol(c[4], D(2025, 9, 1), specialist=s2)
    job(c[4], D(2025, 12, 1), D(2026, 2, 15), hours="25", wage="16.00")
    enrol(c[5], D(2025, 10, 15), specialist=s2, employed=True)
    job(c[5], D(2026, 2, 2), hours="10", wage="14.00")
    enrol(c[6], D(2025, 1, 10), closed=D(2025, 8, 31), specialist=s1)
    job(c[6], D(2025, 3, 1), D(2025, 6, 30))
    enrol(c[6], D(2026, 1, 15), specialist=s2)
    job_a = job(c[6], D(2026, 3, 1), hours=None, wage="18.00")
    job(c[6], D(2026, 3, 20), hours="20", wage="15.00")
    enrol(c[7], D(2025, 11, 1), closed=D(2026, 1, 20), specialist=s1)
    enrol(c[7], D(2026, 2, 10), specialist=s2)
    enrol(c[8], D(2025, 8, 1), specialist=s1)
    job(c[8], D(2026, 1, 5), competitive=False)
    f.EducationActivityFactory(client=c[8], start_date=D(2025, 9, 1), end_date=D(2026, 1, 10))
    f.EducationActivityFactory(client=c[3], start_date=D(2025, 9, 1))  # c3 is not active
    f.EducationActivityFactory(client=c[1], start_date=D(2026, 4, 1))  # after Q1
    missing = enrol(c[9], None, referral=D(2025, 12, 1))
    enrol(c[10], D(2025, 2, 1), closed=D(2025, 6, 30), specialist=s1)
    job(c[10], D(2026, 9, 15))
    enrol(c[11], D(2025, 3, 31), closed=D(2025, 5, 1), specialist=s1)
    job(c[11], D(2026, 9, 30))

    # Employer contacts. Face to face in Q1 by specialists: 2 by S2 (client-linked) + 3 by S1 = 5.
    employer_contact(employer, D(2025, 6, 1), s2, [c[6]])  # before c6's 2nd enrollment: ignored
    employer_contact(employer, D(2026, 1, 25), s2, [c[6]])  # c6: 10 days after 2026-01-15
    employer_contact(employer, D(2026, 2, 12), s2, [c[7]], face_to_face=False)  # phone: ignored
    employer_contact(employer, D(2026, 3, 22), s2, [c[7]])  # c7: 40 days after 2026-02-10
    for day in (D(2026, 1, 6), D(2026, 2, 6), D(2026, 3, 6)):
        employer_contact(employer, day, s1)
    employer_contact(employer, D(2026, 3, 7), s1, face_to_face=False)  # not face to face
    employer_contact(employer, D(2026, 3, 8), sup)  # a supervisor is not a specialist
    employer_contact(employer, D(2025, 12, 30), s1)  # before Q1
    no_mode = f.ContactFactory(client=c[4], contact_date=D(2026, 2, 1), mode="")

    return {
        "program": program,
        "programs": Program.objects.filter(pk=program.pk),
        "s1": s1,
        "s2": s2,
        "c": c,
        "job_a": job_a,
        "missing": missing,
        "no_mode": no_mode,
    }


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


def test_drill_downs_match_the_counts(world):
    c, programs = world["c"], world["programs"]
    assert set(m.active_clients(programs, Q1)) == {c[1], c[2], c[4], c[5], c[6], c[7], c[8]}
    assert m.active_clients(programs, Q1).count() == 7  # c6 and c7 (two episodes each) once
    assert set(m.working_clients(programs, Q1)) == {c[4], c[5], c[6]}
    # 8 episodes: c1, c2, c4, c5, c6 (2nd), c7 (both), c8.
    assert m.active_enrollments(programs, Q1).count() == 8
    assert sorted(j.start_date for j in m.first_job_starts(programs, Q1)) == [D(2026, 2, 2), D(2026, 3, 1)]
    assert m.job_starts(programs, Q1).count() == 3
    assert m.jobs_held(programs, Q1).count() == 4
    assert m.new_enrollments(programs, Q1).count() == 3
    assert m.closures(programs, Q1).count() == 2
    assert list(m.clients_in_education(programs, Q1)) == [c[8]]
    assert m.employer_contacts(programs, Q1).count() == 5
    assert m.employer_contacts(programs, Q1, face_to_face=None).count() == 7  # + phone (S2) + S1's non-f2f


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


def test_cohort_rate(world):
    cohort = m.Period.custom(D(2025, 1, 1), D(2025, 3, 31))
    # Enrolled in the cohort: c6 (01-10, job 2025-03-01), c10 (02-01, job 19.5 months later),
    # c11 (03-31, job 2026-09-30 = exactly 18 months). Follow-up ends 2025-03-31 + 18 m = 2026-09-30.
    done = m.cohort_rate(world["programs"], cohort, as_of=D(2026, 10, 1))
    assert done == m.CohortRate(m.Rate(2, 3), 18, True)
    # As of 2026-06-01 c11's job has not started yet and follow-up is incomplete.
    running = m.cohort_rate(world["programs"], cohort, as_of=D(2026, 6, 1))
    assert running == m.CohortRate(m.Rate(1, 3), 18, False)
    started = {
        e.client_id: e.started_job for e in m.cohort_enrollments(world["programs"], cohort, as_of=D(2026, 10, 1))
    }
    assert started == {world["c"][6].pk: True, world["c"][10].pk: False, world["c"][11].pk: True}
    # With 24 months c10's job (2026-09-15, within 2027-02-01) counts too.
    assert m.cohort_rate(world["programs"], cohort, months=24, as_of=D(2027, 6, 1)).rate == m.Rate(3, 3)


def test_data_quality(world):
    dq = m.data_quality(world["programs"], Q1)
    assert list(dq.enrollments_missing_dates) == [world["missing"]]
    assert list(dq.jobs_missing_fields) == [world["job_a"]]
    assert list(dq.contacts_missing_mode) == [world["no_mode"]]
    data = dq.as_dict()
    assert data["enrollments_missing_dates"] == {"count": 1, "ids": [world["missing"].pk]}
    assert world["no_mode"].mode == ""
    assert ContactMode.FACE_TO_FACE != ""


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
    import json

    data = m.outcomes(world["programs"], Q1, as_of=AS_OF).as_dict()
    assert json.loads(json.dumps(data))["employment_rate"] == {
        "numerator": 3,
        "denominator": 7,
        "value": 3 / 7,
        "percent": 42.9,
    }


@pytest.mark.parametrize(
    ("numerator", "denominator", "code"),
    [
        (30, 100, "below_minimal"),
        (31, 100, "minimal"),  # exactly the minimal benchmark
        (40, 100, "minimal"),
        (41, 100, "average"),  # exactly average
        (49, 100, "average"),
        (50, 100, "excellent"),  # exactly excellent
        (1, 2, "excellent"),
        (0, 0, "no_data"),
    ],
)
def test_rate_band_boundaries(db, numerator, denominator, code):
    assert m.rate_band(m.Rate(numerator, denominator)).code == code


def test_rate_band_reads_the_settings(db):
    settings = BenchmarkSettings.current()
    settings.quarterly_rate_minimal = Decimal("20")
    settings.quarterly_rate_average = Decimal("30")
    settings.quarterly_rate_excellent = Decimal("33.33")
    settings.save()
    assert m.rate_band(m.Rate(1, 5)).code == "minimal"  # 20% = minimal
    assert m.rate_band(m.Rate(1, 3)).code == "excellent"  # 33.333...% >= 33.33
    assert m.rate_band(m.Rate(3333, 10001)).code == "average"  # 33.3267% < 33.33


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


def test_fidelity_figures(world):
    from clients.models import ContactPlace
    from jobs.models import JobStart

    c = world["c"]
    JobStart.objects.filter(client=c[6], start_date=D(2026, 3, 20)).update(occupation_group="41")
    c5_job = JobStart.objects.get(client=c[5])
    f.FollowAlongSupportFactory(job=c5_job, support_date=D(2026, 2, 5))  # 3 days after the start: in time
    f.FollowAlongSupportFactory(job=world["job_a"], support_date=D(2026, 3, 5))  # 4 days: late
    f.ContactFactory(client=c[6], contact_date=D(2026, 3, 22), place=ContactPlace.OFFICE, minutes=10)
    programs = world["programs"]
    # All starts of active clients in Q1: c5 (35), c6A (35), c6B (41), c8 non-competitive (35) = 4.
    assert m.job_type_diversity(programs, Q1) == m.Rate(2, 4)
    assert m.employer_diversity(programs, Q1) == m.Rate(4, 4)  # the factory makes an employer per job
    assert m.competitive_share(programs, Q1) == m.Rate(3, 4)
    # Competitive starts: c5 (support +3 days: yes), c6A (support +4, contact +21: no),
    # c6B (client contact 03-22 = +2 days: yes) -> 2/3.
    assert m.follow_along_within(programs, Q1) == m.Rate(2, 3)
    assert m.follow_along_within(programs, Q1, days=4) == m.Rate(3, 3)
    # Client contacts in Q1 with minutes: c4 30 min community, c6 10 min office -> 30/40.
    assert m.community_share(programs, Q1) == m.Rate(30, 40)
    # The drill-downs behind those rates.
    assert m.all_job_starts(programs, Q1).count() == 4
    followed = {j.start_date: j.followed_up for j in m.job_starts_with_follow_up(programs, Q1)}
    assert followed == {D(2026, 2, 2): True, D(2026, 3, 1): False, D(2026, 3, 20): True}
    assert m.client_contacts(programs, Q1).count() == 2


def test_first_contact_drill_down(world):
    c = world["c"]
    rows = {e.client_id: e.first_contact_date for e in m.first_contact_enrollments(world["programs"], Q1, as_of=AS_OF)}
    # c1 not contacted; c6 on 01-25 (the 2025 contact predates the episode); c7 on 03-22 (phone ignored).
    assert rows == {c[1].pk: None, c[6].pk: D(2026, 1, 25), c[7].pk: D(2026, 3, 22)}


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


def test_job_spanning_two_quarters_counts_in_both(world):
    c4 = world["c"][4]
    q4 = m.Period.custom(D(2025, 10, 1), D(2025, 12, 31))
    assert c4 in m.working_clients(world["programs"], q4)
    assert c4 in m.working_clients(world["programs"], Q1)
    # ... but it is a start of Q4 only.
    assert not m.job_starts(world["programs"], Q1).filter(client=c4).exists()


def test_tenure_of_jobs_still_held_stops_at_as_of(world):
    # As of 03-15: c4 76 days (ended 02-15), c5 02-02..03-15 = 41, c6A 03-01..03-15 = 14,
    # c6B starts 03-20 (after as_of) = 0 -> median (14 + 41) / 2 = 27.5 days.
    o = m.outcomes(world["programs"], Q1, as_of=D(2026, 3, 15))
    assert o.tenure_weeks_median == pytest.approx(27.5 / 7)
