"""Issue 14 part 4: a change records the fields changed with their before and after values; a
delete keeps the deleted values."""

import datetime

import pytest

from audit.models import Action, AuditEvent
from audit.services import field_changes
from clients import corrections
from clients import services as clients
from jobs import services as jobs
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def own(program_a, specialist_a):
    client = f.ClientFactory(program=program_a)
    episode = f.EnrollmentFactory(
        client=client, referral_date=TODAY - datetime.timedelta(days=30), enrollment_date=None, specialist=None
    )
    return client, episode


def _last(action):
    return AuditEvent.objects.filter(action=action).order_by("-pk").first()


def test_enrolling_records_the_changed_fields(own, specialist_a):
    _client, episode = own
    clients.enroll(episode, user=specialist_a, enrollment_date=TODAY, specialist=specialist_a)
    assert _last(Action.UPDATE).detail["changes"] == {
        "enrollment_date": [None, "2026-11-30"],
        "specialist": [None, specialist_a.pk],
    }


def test_correcting_a_plan_records_before_and_after(own, specialist_a):
    client, _episode = own
    plan = f.EmploymentPlanFactory(client=client, goal="Retail", start_date=TODAY)
    clients.update_plan(plan, user=specialist_a, goal="Warehouse")
    assert _last(Action.UPDATE).detail["changes"] == {"goal": ["Retail", "Warehouse"]}


def test_an_unchanged_save_records_no_changes(own, specialist_a):
    client, _episode = own
    plan = f.EmploymentPlanFactory(client=client, goal="Retail", start_date=TODAY)
    clients.update_plan(plan, user=specialist_a, goal="Retail")
    assert _last(Action.UPDATE).detail["changes"] == {}


def test_correcting_an_employer_contact_records_before_and_after(program_a, specialist_a):
    employer = f.EmployerFactory(program=program_a, name="Acme")
    other = f.EmployerFactory(program=program_a, name="Bolt")
    contact = f.EmployerContactFactory(employer=employer, specialist=specialist_a, contact_date=TODAY)
    jobs._correct(contact, {"employer": other}, user=specialist_a, version=None)
    assert _last(Action.UPDATE).detail["changes"] == {"employer": [employer.pk, other.pk]}


def test_renaming_an_employer_records_before_and_after(program_a, specialist_a):
    employer = f.EmployerFactory(program=program_a, name="Acme")
    employer.name = "Acme Foods"
    jobs.save_employer(employer, user=specialist_a)
    assert _last(Action.UPDATE).detail["changes"] == {"name": ["Acme", "Acme Foods"]}


def test_a_delete_keeps_the_deleted_values(own, specialist_a):
    client, _episode = own
    entry = f.WorkHistoryEntryFactory(profile__client=client, employer_name="Old Diner")
    pk, profile = entry.pk, entry.profile_id
    corrections.delete_past_job(entry, user=specialist_a, reason="entered twice")
    deleted = _last(Action.DELETE).detail["deleted"]
    assert (deleted["id"], deleted["profile_id"], deleted["employer_name"]) == (pk, profile, "Old Diner")
    assert deleted["start_date"] == "2020-01-01"


def test_field_changes_against_the_saved_row(own):
    _client, episode = own
    episode.referral_date = TODAY
    assert field_changes(episode) == {"referral_date": ["2026-10-31", "2026-11-30"]}
