"""jobs.selectors: weekly employer-contact counts (Monday to Sunday, hand-computed), the contacts of this
week and last, employer search by normalised name and the employer list's counts."""

import datetime

import pytest

from jobs import selectors
from jobs.models import Employer
from programs.models import Role

from .. import factories as f
from .support import DAY

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 6, 17)  # week of Monday 15 June to Sunday 21 June 2026


@pytest.fixture
def week_fixture(program_a, specialist_a):
    """Hand-placed contacts around week boundaries (weeks run Monday to Sunday)."""
    employer = f.EmployerFactory(program=program_a)
    colleague = f.make_user(Role.SPECIALIST, program=program_a)

    def add(day, face_to_face=True, specialist=specialist_a):
        f.EmployerContactFactory(employer=employer, specialist=specialist, contact_date=day, face_to_face=face_to_face)

    add(datetime.date(2026, 6, 15))  # Monday of this week
    add(datetime.date(2026, 6, 21))  # Sunday of this week (after as_of: still this week)
    add(datetime.date(2026, 6, 16), face_to_face=False)  # counted in the total only
    add(datetime.date(2026, 6, 17), specialist=colleague)  # someone else's
    add(datetime.date(2026, 6, 22))  # next Monday: outside
    add(datetime.date(2026, 6, 14))  # Sunday of last week
    add(datetime.date(2026, 6, 8))  # Monday of last week
    add(datetime.date(2026, 6, 8), face_to_face=False)
    add(datetime.date(2026, 4, 20))  # Monday, 8 weeks before this week: the oldest week shown
    add(datetime.date(2026, 4, 19))  # the Sunday before it: outside the 9 weeks
    return employer


def test_weekly_counts_against_hand_computed_figures(week_fixture, specialist_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        weeks = selectors.weekly_employer_contacts(specialist_a, target=6, as_of=WEDNESDAY)
    assert [w.start for w in weeks] == [datetime.date(2026, 6, 15) - datetime.timedelta(weeks=n) for n in range(9)]
    assert all(w.start.weekday() == 0 and w.end - w.start == 6 * DAY for w in weeks)
    figures = [(w.total, w.face_to_face) for w in weeks]
    assert figures == [(3, 2), (3, 2), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (1, 1)]
    assert weeks[0].remaining == 4 and not weeks[0].met


def test_weekly_counts_on_a_sunday_and_the_target(week_fixture, specialist_a):
    weeks = selectors.weekly_employer_contacts(specialist_a, target=2, as_of=datetime.date(2026, 6, 21), weeks=2)
    assert [(w.start, w.face_to_face, w.met) for w in weeks] == [
        (datetime.date(2026, 6, 15), 2, True),
        (datetime.date(2026, 6, 8), 2, True),
    ]


def test_weekly_counts_respect_the_scoped_queryset(week_fixture, specialist_a, program_b):
    other_program_employer = f.EmployerFactory(program=program_b)
    f.EmployerContactFactory(employer=other_program_employer, specialist=specialist_a, contact_date=WEDNESDAY)
    scoped = week_fixture.contacts.model.objects.filter(employer__program=week_fixture.program)
    weeks = selectors.weekly_employer_contacts(specialist_a, target=6, as_of=WEDNESDAY, contacts=scoped)
    assert weeks[0].total == 3
    unscoped = selectors.weekly_employer_contacts(specialist_a, target=6, as_of=WEDNESDAY)
    assert unscoped[0].total == 4


def test_search_employers_by_normalised_name(program_a):
    bakery = f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    f.EmployerFactory(program=program_a, name="Bakers & Sons")
    employers = Employer.objects.filter(program=program_a)
    assert list(selectors.search_employers(employers, "corner bakery")) == [bakery]
    assert list(selectors.search_employers(employers, "CORNER BAKERY CO.")) == [bakery]
    assert selectors.search_employers(employers, "bake").count() == 2
    assert selectors.search_employers(employers, "").count() == 2
    assert selectors.exact_match(employers, "corner bakery inc") == bakery
    assert selectors.exact_match(employers, "corner") is None


def test_employer_list_counts_contacts_and_jobs_separately(program_a):
    bakery = f.EmployerFactory(program=program_a, name="Corner Bakery")
    quiet = f.EmployerFactory(program=program_a, name="Quiet Shop")
    for day in (3, 9, 5):
        f.EmployerContactFactory(employer=bakery, contact_date=datetime.date(2026, 5, day))
    client = f.ClientFactory(program=program_a)
    f.JobStartFactory(client=client, employer=bakery)
    f.JobStartFactory(client=client, employer=bakery, start_date=datetime.date(2026, 4, 1))
    rows = {e.name: e for e in selectors.employer_list(Employer.objects.filter(program=program_a))}
    assert (rows["Corner Bakery"].contact_count, rows["Corner Bakery"].job_count) == (3, 2)
    assert rows["Corner Bakery"].last_contact == datetime.date(2026, 5, 9)
    assert (rows["Quiet Shop"].contact_count, rows["Quiet Shop"].job_count, rows["Quiet Shop"].last_contact) == (
        0,
        0,
        None,
    )
    assert quiet.pk in [e.pk for e in rows.values()]


def test_contacts_by_week_lists_this_week_and_last_in_one_query(week_fixture, specialist_a, django_assert_num_queries):
    weeks = selectors.weekly_employer_contacts(specialist_a, target=6, as_of=WEDNESDAY, weeks=2)
    with django_assert_num_queries(2):  # the contacts, and their clients prefetched
        listed = selectors.contacts_by_week(specialist_a, weeks)
    days = [[c.contact_date for c in contacts] for _, contacts in listed]
    assert days == [
        [datetime.date(2026, 6, 21), datetime.date(2026, 6, 16), datetime.date(2026, 6, 15)],
        [datetime.date(2026, 6, 14), datetime.date(2026, 6, 8), datetime.date(2026, 6, 8)],
    ]
    assert selectors.contacts_by_week(specialist_a, []) == []
