"""jobs/services.py and jobs/selectors.py: the rules a later API shares with the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobs import selectors, services
from jobs.models import Employer, JobStart
from programs.models import Role

from . import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
WEDNESDAY = datetime.date(2026, 6, 17)  # week of Monday 15 June to Sunday 21 June 2026


def job_fields(**overrides):
    fields = {
        "job_title": "Line cook",
        "occupation_group": "35",
        "start_date": datetime.date(2026, 3, 2),
        "hours_per_week": Decimal("24"),
        "hourly_wage": Decimal("17.00"),
        "is_competitive": True,
        "job_type": "permanent",
        "disclosure": "partial",
        "benefits_discussed": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def enrolled(program_a):
    client = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(
        client=client, referral_date=datetime.date(2026, 1, 5), enrollment_date=datetime.date(2026, 1, 12)
    )
    return client


def test_find_or_create_employer_matches_by_normalised_name(program_a, program_b):
    bakery = f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    assert services.find_or_create_employer(program_a, "corner bakery") == (bakery, False)
    assert services.find_or_create_employer(program_a, "  Corner Bakery LLC ") == (bakery, False)
    other, created = services.find_or_create_employer(program_b, "Corner Bakery")
    assert created and other.program == program_b and other != bakery
    with pytest.raises(ValidationError):
        services.find_or_create_employer(program_a, " ,. ")


def test_save_employer_refuses_a_duplicate_with_the_existing_one(program_a):
    bakery = f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    with pytest.raises(services.DuplicateEmployer) as caught:
        services.save_employer(Employer(program=program_a, name="CORNER BAKERY"))
    assert caught.value.existing == bakery
    assert "name" in caught.value.message_dict


def test_the_database_refuses_a_duplicate_employer_too(program_a):
    f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.create(program=program_a, name="corner bakery")


def test_record_job_start_with_a_new_employer(enrolled):
    job, created = services.record_job_start(enrolled, employer_name="Riverside Books", **job_fields())
    assert created and job.employer.name == "Riverside Books" and job.employer.program == enrolled.program
    assert job.pk and job.hours_per_week == Decimal("24")


def test_record_job_start_needs_an_open_enrollment(program_a):
    client = f.ClientFactory(program=program_a)
    with pytest.raises(ValidationError, match="no open enrollment"):
        services.record_job_start(client, employer_name="Riverside Books", **job_fields())
    assert not Employer.objects.exists()  # nothing half-saved


def test_record_job_start_refuses_a_start_before_the_referral_or_in_the_future(enrolled):
    with pytest.raises(ValidationError) as caught:
        services.record_job_start(enrolled, employer_name="X", **job_fields(start_date=datetime.date(2026, 1, 4)))
    assert "start_date" in caught.value.message_dict
    future = datetime.date.today() + 2 * DAY
    with pytest.raises(ValidationError):
        services.record_job_start(enrolled, employer_name="X", **job_fields(start_date=future))
    # Between referral and enrollment is allowed (a client may be working when enrolling).
    job, _ = services.record_job_start(enrolled, employer_name="X", **job_fields(start_date=datetime.date(2026, 1, 6)))
    assert job.start_date == datetime.date(2026, 1, 6)
    assert not JobStart.objects.filter(start_date__lt=datetime.date(2026, 1, 5)).exists()


def test_record_job_start_refuses_another_programs_employer(enrolled, program_b):
    elsewhere = f.EmployerFactory(program=program_b)
    with pytest.raises(ValidationError) as caught:
        services.record_job_start(enrolled, employer=elsewhere, **job_fields())
    assert "employer" in caught.value.message_dict
    assert not JobStart.objects.exists()


def test_end_job_validates_and_the_database_enforces_the_order(enrolled):
    job, _ = services.record_job_start(enrolled, employer_name="X", **job_fields())
    with pytest.raises(ValidationError) as caught:
        services.end_job(job, end_date=job.start_date - DAY, end_type="quit")
    assert "end_date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.end_job(job, end_date=job.start_date + DAY, end_type="")
    with pytest.raises(IntegrityError), transaction.atomic():
        JobStart.objects.filter(pk=job.pk).update(end_date=job.start_date - DAY, end_type="quit")
    services.end_job(job, end_date=job.start_date, end_type="laid_off", lessons_learned="Likes mornings")
    job.refresh_from_db()
    assert (job.end_date, job.end_type, job.lessons_learned) == (job.start_date, "laid_off", "Likes mornings")


def test_add_support(enrolled, specialist_a, specialist_b):
    job, _ = services.record_job_start(enrolled, employer_name="X", **job_fields())
    support = services.add_support(
        job, support_date=job.start_date + 2 * DAY, description="Check-in", staff=specialist_a, minutes=20
    )
    assert support.job == job and support.staff == specialist_a
    with pytest.raises(ValidationError) as caught:
        services.add_support(job, support_date=job.start_date - DAY, description="x", staff=specialist_b)
    assert set(caught.value.message_dict) == {"support_date", "staff"}


def test_log_employer_contact_with_clients_is_client_specific(enrolled, specialist_a, program_b):
    employer = f.EmployerFactory(program=enrolled.program)
    contact = services.log_employer_contact(
        employer, specialist_a, contact_date=datetime.date(2026, 3, 3), clients=[enrolled], purpose="client_specific"
    )
    assert contact.client_specific and list(contact.clients.all()) == [enrolled]
    general = services.log_employer_contact(employer, specialist_a, contact_date=datetime.date(2026, 3, 3))
    assert not general.client_specific and general.face_to_face
    outsider = f.ClientFactory(program=program_b)
    with pytest.raises(ValidationError) as caught:
        services.log_employer_contact(
            employer, specialist_a, contact_date=datetime.date(2026, 3, 3), clients=[outsider]
        )
    assert "clients" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.log_employer_contact(
            employer, specialist_a, contact_date=datetime.date(2026, 3, 3), client_specific=True
        )


# Weekly counting ------------------------------------------------------------------------------


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
