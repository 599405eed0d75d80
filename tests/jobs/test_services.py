"""jobs.services called directly (as the API will): the rules, the acting user's access on every write
(another program's user gets a 404 and nothing changes), the optimistic lock, and the audit each write
leaves."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from audit.models import Action, AuditEvent
from core.errors import RuleViolation
from core.locking import EditConflict, version_of
from jobs import services
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart

from .. import factories as f
from .support import DAY

pytestmark = pytest.mark.django_db


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


def test_find_or_create_employer_matches_by_normalised_name(program_a, program_b, specialist_a, specialist_b):
    bakery = f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    assert services.find_or_create_employer(program_a, "corner bakery", user=specialist_a) == (bakery, False)
    assert services.find_or_create_employer(program_a, "  Corner Bakery LLC ", user=specialist_a) == (bakery, False)
    other, created = services.find_or_create_employer(program_b, "Corner Bakery", user=specialist_b)
    assert created and other.program == program_b and other != bakery
    assert AuditEvent.objects.get(action=Action.CREATE, object_type="jobs.employer").user == specialist_b
    with pytest.raises(RuleViolation):
        services.find_or_create_employer(program_a, " ,. ", user=specialist_a)


def test_save_employer_refuses_a_duplicate_with_the_existing_one(program_a, specialist_a):
    bakery = f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    with pytest.raises(services.DuplicateEmployer) as caught:
        services.save_employer(Employer(program=program_a, name="CORNER BAKERY"), user=specialist_a)
    assert isinstance(caught.value, RuleViolation)
    assert caught.value.existing == bakery
    assert "name" in caught.value.message_dict


def test_the_database_refuses_a_duplicate_employer_too(program_a):
    f.EmployerFactory(program=program_a, name="The Corner Bakery, Inc.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Employer.objects.create(program=program_a, name="corner bakery")


def test_record_job_start_with_a_new_employer(enrolled, specialist_a):
    job, created = services.record_job_start(
        enrolled, user=specialist_a, employer_name="Riverside Books", **job_fields()
    )
    assert created and job.employer.name == "Riverside Books" and job.employer.program == enrolled.program
    assert job.pk and job.hours_per_week == Decimal("24")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(job.pk), user=specialist_a).exists()


def test_record_job_start_needs_an_open_enrollment(program_a, specialist_a):
    client = f.ClientFactory(program=program_a)
    with pytest.raises(RuleViolation, match="no open enrollment"):
        services.record_job_start(client, user=specialist_a, employer_name="Riverside Books", **job_fields())
    assert not Employer.objects.exists()  # nothing half-saved


def test_record_job_start_refuses_a_start_before_the_referral_or_in_the_future(enrolled, specialist_a):
    def start(day):
        return services.record_job_start(enrolled, user=specialist_a, employer_name="X", **job_fields(start_date=day))

    with pytest.raises(RuleViolation) as caught:
        start(datetime.date(2026, 1, 4))
    assert "start_date" in caught.value.message_dict
    with pytest.raises(RuleViolation):
        start(timezone.localdate() + 2 * DAY)
    # Between referral and enrollment is allowed (a client may be working when enrolling).
    job, _ = start(datetime.date(2026, 1, 6))
    assert job.start_date == datetime.date(2026, 1, 6)
    assert not JobStart.objects.filter(start_date__lt=datetime.date(2026, 1, 5)).exists()


def test_record_job_start_refuses_another_programs_employer(enrolled, program_b, specialist_a):
    elsewhere = f.EmployerFactory(program=program_b)
    with pytest.raises(RuleViolation) as caught:
        services.record_job_start(enrolled, user=specialist_a, employer=elsewhere, **job_fields())
    assert "employer" in caught.value.message_dict
    assert not JobStart.objects.exists()


def test_end_job_validates_and_the_database_enforces_the_order(enrolled, specialist_a):
    job, _ = services.record_job_start(enrolled, user=specialist_a, employer_name="X", **job_fields())
    with pytest.raises(RuleViolation) as caught:
        services.end_job(job, user=specialist_a, end_date=job.start_date - DAY, end_type="quit")
    assert "end_date" in caught.value.message_dict
    with pytest.raises(RuleViolation):
        services.end_job(job, user=specialist_a, end_date=job.start_date + DAY, end_type="")
    with pytest.raises(IntegrityError), transaction.atomic():
        JobStart.objects.filter(pk=job.pk).update(end_date=job.start_date - DAY, end_type="quit")
    services.end_job(
        job, user=specialist_a, end_date=job.start_date, end_type="laid_off", lessons_learned="Likes mornings"
    )
    job.refresh_from_db()
    assert (job.end_date, job.end_type, job.lessons_learned) == (job.start_date, "laid_off", "Likes mornings")


def test_add_support(enrolled, specialist_a, specialist_b):
    job, _ = services.record_job_start(enrolled, user=specialist_a, employer_name="X", **job_fields())
    support = services.add_support(
        job, user=specialist_a, support_date=job.start_date + 2 * DAY, description="Check-in", staff=specialist_a
    )
    assert support.job == job and support.staff == specialist_a
    with pytest.raises(RuleViolation) as caught:
        services.add_support(
            job, user=specialist_a, support_date=job.start_date - DAY, description="x", staff=specialist_b
        )
    assert set(caught.value.message_dict) == {"support_date", "staff"}


def test_log_employer_contact_with_clients_is_client_specific(enrolled, specialist_a, program_b):
    employer = f.EmployerFactory(program=enrolled.program)
    day = datetime.date(2026, 3, 3)
    contact = services.log_employer_contact(
        employer, user=specialist_a, contact_date=day, clients=[enrolled], purpose="client_specific"
    )
    assert contact.client_specific and list(contact.clients.all()) == [enrolled]
    assert contact.specialist == specialist_a
    general = services.log_employer_contact(employer, user=specialist_a, contact_date=day)
    assert not general.client_specific and general.face_to_face
    outsider = f.ClientFactory(program=program_b)
    with pytest.raises(RuleViolation) as caught:
        services.log_employer_contact(employer, user=specialist_a, contact_date=day, clients=[outsider])
    assert "clients" in caught.value.message_dict
    with pytest.raises(RuleViolation):
        services.log_employer_contact(employer, user=specialist_a, contact_date=day, client_specific=True)


def test_a_correction_refuses_a_stale_version(contact_a, specialist_a, today):
    stale = version_of(contact_a)
    employer = contact_a.employer
    services.update_employer_contact(
        contact_a, user=specialist_a, employer=employer, contact_date=today - DAY, version=stale, outcome="First"
    )
    with pytest.raises(EditConflict):
        services.update_employer_contact(
            contact_a, user=specialist_a, employer=employer, contact_date=today - DAY, version=stale, outcome="Second"
        )
    contact_a.refresh_from_db()
    assert contact_a.outcome == "First"


# Access: every write refuses another program's user -------------------------------------------


def writes(r):
    """Every write of jobs.services, with valid arguments, on program A's records."""
    day = timezone.localdate() - DAY
    job = r["job"]
    return {
        "save_employer": lambda user: services.save_employer(Employer(program=r["program"], name="New Co"), user=user),
        "find_or_create_employer": lambda user: services.find_or_create_employer(r["program"], "Newer Co", user=user),
        "record_job_start": lambda user: services.record_job_start(
            r["client"], user=user, employer=r["employer"], **job_fields(start_date=day)
        ),
        "update_job": lambda user: services.update_job(job, user=user, job_title="Changed"),
        "end_job": lambda user: services.end_job(job, user=user, end_date=day, end_type="quit"),
        "add_support": lambda user: services.add_support(job, user=user, support_date=day, description="x"),
        "update_support": lambda user: services.update_support(r["support"], user=user, description="Changed"),
        "log_employer_contact": lambda user: services.log_employer_contact(r["employer"], user=user, contact_date=day),
        "update_employer_contact": lambda user: services.update_employer_contact(
            r["contact"], user=user, employer=r["employer"], contact_date=day, outcome="Changed"
        ),
        "delete_record": lambda user: services.delete_record(r["contact"], user=user, reason="Duplicate"),
    }


@pytest.fixture
def program_a_records(program_a, client_a, employer_a, job_a, contact_a, support_a):
    return {
        "program": program_a,
        "client": client_a,
        "employer": employer_a,
        "job": job_a,
        "contact": contact_a,
        "support": support_a,
    }


def rows():
    return [list(m.objects.order_by("pk").values()) for m in (Employer, JobStart, FollowAlongSupport, EmployerContact)]


@pytest.mark.parametrize("name", list(writes({"job": None})))
def test_another_programs_user_is_refused_and_nothing_changes(name, program_a_records, outsider):
    before, events = rows(), AuditEvent.objects.exclude(action=Action.DENIED).count()
    with pytest.raises(Http404):
        writes(program_a_records)[name](outsider)
    assert rows() == before
    # Nothing written; the refusal itself may be on record (programs.access logs denied access).
    assert AuditEvent.objects.exclude(action=Action.DENIED).count() == events


@pytest.mark.parametrize("name", list(writes({"job": None})))
def test_a_teammate_may_and_the_write_is_audited(name, program_a_records, teammate):
    writes(program_a_records)[name](teammate)
    event = AuditEvent.objects.latest("pk")
    assert event.user == teammate and event.action in {Action.CREATE, Action.UPDATE, Action.DELETE}
