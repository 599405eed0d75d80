"""Staff figures count the specialist memberships in force during the period, per FTE (issue 12,
item 6; definition version 2026.3). Every expected value is worked out by hand below.

2026 Q3 = 2026-07-01..2026-09-30: 92 days, ended on 2026-11-30 (today), so weeks = 92 / 7.

Program A (employer EA), its specialists in Q3:
  F  full time, in force throughout                    92 days x 1.0 -> 92 FTE-days, in force 30 Sep
  L  leaves after 2026-08-15                           Jul 1..Aug 15 = 46 days
  M  moves to program B on 2026-08-01                  Jul 1..Jul 31 = 31 days (in B: Aug 1..Sep 30 = 61)
  R  leaves after 2026-07-10, returns 2026-09-01       10 + 30 = 40 days, in force 30 Sep
  P  0.5 FTE throughout                                92 x 0.5 = 46 FTE-days, in force 30 Sep
A: 5 specialists; FTE-days 92 + 46 + 31 + 40 + 46 = 255; FTE on 30 Sep = 1 + 1 + 0.5 = 2.5.

Face-to-face contacts with A's employer, counted when the maker's A membership is in force that day:
  F Jul 5, Aug 20, Sep 25 (3)   L Jul 20, Aug 15 (2; Aug 20 after leaving: not A's)
  M Jul 15 (1; Aug 10 while in B: not A's)   R Jul 8, Sep 10 (2; Aug 1 while away: not A's)   P Sep 1 (1)
A: 9 contacts / (255 / 7) FTE-weeks = 63 / 255. B: M's Aug 12 contact with EB, 1 / (61 / 7) = 7 / 61.

Caseload on 30 Sep: A has 5 open clients (F 2, R 1, P 2) -> 5 / 2.5 = 2.0 per full-time specialist;
B has 1 (M) -> 1 / 1.0.
"""

import datetime

import pytest

from outcomes import metrics as m
from programs.models import Membership, Program, Role

from .. import factories as f
from .outcomes_data import D, employer_contact, enrol

Q3 = m.Period.custom(D(2026, 7, 1), D(2026, 9, 30))


def member(user, program, start, end=None, fte="1.0"):
    return Membership.objects.create(
        user=user, role=Role.SPECIALIST, program=program, start_date=start, end_date=end, fte=fte
    )


@pytest.fixture
def staff(db):
    a, b = f.ProgramFactory(name="Staff A"), f.ProgramFactory(name="Staff B")
    users = {k: f.UserFactory(username=f"staff_{k}", last_name=k) for k in "FLMRP"}
    member(users["F"], a, D(2020, 1, 1))
    member(users["L"], a, D(2020, 1, 1), D(2026, 8, 15))
    member(users["M"], a, D(2020, 1, 1), D(2026, 7, 31))
    member(users["M"], b, D(2026, 8, 1))
    member(users["R"], a, D(2020, 1, 1), D(2026, 7, 10))
    member(users["R"], a, D(2026, 9, 1))
    member(users["P"], a, D(2020, 1, 1), fte="0.5")
    ea, eb = f.EmployerFactory(program=a), f.EmployerFactory(program=b)
    for who, days in {
        "F": [D(2026, 7, 5), D(2026, 8, 20), D(2026, 9, 25)],
        "L": [D(2026, 7, 20), D(2026, 8, 15), D(2026, 8, 20)],
        "M": [D(2026, 7, 15), D(2026, 8, 10)],
        "R": [D(2026, 7, 8), D(2026, 8, 1), D(2026, 9, 10)],
        "P": [D(2026, 9, 1)],
    }.items():
        for day in days:
            employer_contact(ea, day, users[who])
    employer_contact(eb, D(2026, 8, 12), users["M"])
    for who in "FFRPP":
        enrol(f.ClientFactory(program=a), D(2026, 1, 10), specialist=users[who])
    enrol(f.ClientFactory(program=b), D(2026, 8, 5), specialist=users["M"])
    return {"a": a, "b": b, "users": users}


def qs(program):
    return Program.objects.filter(pk=program.pk)


def check_program_a(out):
    assert out.specialist_count == 5
    assert out.employer_contacts == 9
    assert out.specialist_weeks == pytest.approx(255 / 7)
    assert out.employer_contacts_per_specialist_week == pytest.approx(63 / 255)
    assert out.specialist_fte == pytest.approx(2.5)
    assert out.caseload_at_end == 5
    assert out.caseload_per_specialist == pytest.approx(2.0)


def test_program_figures_count_the_memberships_in_force_during_the_quarter(staff):
    check_program_a(m.outcomes(qs(staff["a"]), Q3))
    b = m.outcomes(qs(staff["b"]), Q3)
    assert (b.specialist_count, b.employer_contacts) == (1, 1)
    assert b.employer_contacts_per_specialist_week == pytest.approx(7 / 61)
    assert b.caseload_per_specialist == pytest.approx(1.0)


def test_by_program_agrees_with_each_program(staff):
    by = m.outcomes_by_program(Program.objects.filter(pk__in=[staff["a"].pk, staff["b"].pk]), Q3)
    check_program_a(by[staff["a"].pk])
    assert by[staff["b"].pk].employer_contacts_per_specialist_week == pytest.approx(7 / 61)


def test_by_specialist_rows_use_each_specialists_own_days_and_fte(staff):
    rows = {u.username: o for u, o in m.outcomes_by_specialist(qs(staff["a"]), Q3)}
    assert set(rows) == {"staff_F", "staff_L", "staff_M", "staff_R", "staff_P"}
    # F: 3 contacts over 92 days; 2 clients / 1.0 FTE.
    assert rows["staff_F"].employer_contacts_per_specialist_week == pytest.approx(3 * 7 / 92)
    assert rows["staff_F"].caseload_per_specialist == pytest.approx(2.0)
    # L: 2 contacts (not the one after leaving) over 46 days; not in force on 30 Sep: no caseload figure.
    assert rows["staff_L"].employer_contacts == 2
    assert rows["staff_L"].employer_contacts_per_specialist_week == pytest.approx(2 * 7 / 46)
    assert rows["staff_L"].caseload_per_specialist is None
    # M: in A for 31 days, 1 contact while there.
    assert rows["staff_M"].employer_contacts_per_specialist_week == pytest.approx(7 / 31)
    # R: 2 contacts over 10 + 30 days; 1 client / 1.0.
    assert rows["staff_R"].employer_contacts_per_specialist_week == pytest.approx(2 * 7 / 40)
    assert rows["staff_R"].caseload_per_specialist == pytest.approx(1.0)
    # P: 1 contact over 92 days at 0.5 FTE = 46 FTE-days; 2 clients / 0.5 FTE = 4 per full-time specialist.
    assert rows["staff_P"].employer_contacts_per_specialist_week == pytest.approx(7 / 46)
    assert rows["staff_P"].caseload_per_specialist == pytest.approx(4.0)


def test_the_previous_quarter_counts_the_mover_in_a_only(staff):
    # 2026 Q2 (91 days): F, L, M, R and P all in A the whole quarter: 4.5 FTE on 30 Jun; B has nobody.
    q2 = m.Period.custom(D(2026, 4, 1), D(2026, 6, 30))
    a = m.outcomes(qs(staff["a"]), q2)
    assert a.specialist_count == 5 and a.specialist_fte == pytest.approx(4.5)
    b = m.outcomes(qs(staff["b"]), q2)
    assert b.specialist_count == 0 and b.caseload_per_specialist is None


def test_ending_a_membership_today_changes_nothing_in_q3(staff):
    membership = Membership.objects.get(user=staff["users"]["F"])
    membership.is_active = False
    membership.save()
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 11, 30)  # today (pinned by the root conftest)
    check_program_a(m.outcomes(qs(staff["a"]), Q3))
