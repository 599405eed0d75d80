"""Correcting the client record (#13.4): a logged contact is edited under the optimistic lock, and a
contact, benefits session, plan step or past job is deleted with a required reason, audited with the
deleted values; another program's record is a 404, and a deleted record stops counting at once."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients import corrections
from clients.models import BenefitsCounselingSession, Contact, PlanStep, WorkHistoryEntry
from core.errors import RuleViolation
from core.locking import version_of
from outcomes.fidelity_evidence import community_share
from outcomes.periods import Period
from programs.models import Program

from .. import factories as f
from .support import ago, iso

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(own_client, specialist_a):
    return f.ContactFactory(
        client=own_client, staff=specialist_a, contact_date=ago(3), minutes=45, note="Met at the library"
    )


def edit_url(contact):
    return reverse("clients:contact_edit", args=[contact.client_id, contact.pk])


def delete_url(contact):
    return reverse("clients:contact_delete", args=[contact.client_id, contact.pk])


def contact_post(contact, **values):
    data = {
        "contact_date": iso(contact.contact_date),
        "with_whom": contact.with_whom,
        "mode": contact.mode,
        "place": contact.place,
        "minutes": str(contact.minutes),
        "note": contact.note,
        "version": version_of(contact),
    }
    return {**data, **values}


def deletion(obj):
    return AuditEvent.objects.get(action=Action.DELETE, object_type=obj._meta.label_lower, object_id=str(obj.pk))


# --- Edit a contact --------------------------------------------------------------------------------


def test_the_timeline_links_each_contact_to_its_edit_page(logged_in, contact, own_client):
    page = logged_in.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert f'href="{edit_url(contact)}"' in page


def test_edit_page_shows_the_contact_with_its_version_and_a_delete_link(logged_in, contact):
    page = logged_in.get(edit_url(contact)).content.decode()
    assert "Met at the library" in page
    assert f'name="version" value="{version_of(contact)}"' in page
    assert delete_url(contact) in page


def test_an_edit_saves_and_is_audited(logged_in, contact):
    data = contact_post(contact, contact_date=iso(ago(5)), mode="phone", minutes="20", note="Called instead")
    response = logged_in.post(edit_url(contact), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.contact_date, contact.mode, contact.minutes, contact.note) == (
        ago(5),
        "phone",
        20,
        "Called instead",
    )
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(contact.pk)).exists()


def test_an_edit_from_a_stale_page_is_refused_and_shows_the_other_version(logged_in, contact, specialist_a):
    stale = contact_post(contact, note="My version")
    Contact.objects.filter(pk=contact.pk).update(
        note="Their version", updated_at=contact.updated_at + datetime.timedelta(seconds=5)
    )
    contact.refresh_from_db()
    response = logged_in.post(edit_url(contact), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved" in page and "Their version" in page
    contact.refresh_from_db()
    assert contact.note == "Their version"


def test_an_edit_to_a_future_date_is_refused_by_the_field(logged_in, contact):
    response = logged_in.post(edit_url(contact), contact_post(contact, contact_date=iso(ago(-1))))
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].errors["contact_date"])
    contact.refresh_from_db()
    assert contact.contact_date == ago(3)


def test_another_programs_contact_cannot_be_edited_or_deleted(logged_in, other_client):
    theirs = f.ContactFactory(client=other_client, contact_date=ago(2))
    assert logged_in.get(edit_url(theirs)).status_code == 404
    assert logged_in.post(delete_url(theirs), {"reason": "Duplicate"}).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_a_contact_is_not_reachable_under_another_clients_address(logged_in, contact, program_a):
    someone_else = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(client=someone_else, referral_date=ago(30), enrollment_date=ago(20))
    url = reverse("clients:contact_edit", args=[someone_else.pk, contact.pk])
    assert logged_in.get(url).status_code == 404


# --- Delete a contact ------------------------------------------------------------------------------


def test_the_delete_page_asks_for_a_reason(logged_in, contact):
    page = logged_in.get(delete_url(contact)).content.decode()
    assert "Delete this contact?" in page
    assert 'name="reason"' in page


def test_a_delete_without_a_reason_is_refused(logged_in, contact):
    response = logged_in.post(delete_url(contact), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


def test_a_delete_removes_the_contact_and_keeps_its_values_in_the_audit_log(logged_in, contact, own_client):
    pk = contact.pk
    response = logged_in.post(delete_url(contact), {"reason": "Logged twice"})
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[own_client.pk])
    assert not Contact.objects.filter(pk=pk).exists()
    event = deletion(contact)
    assert event.detail["reason"] == "Logged twice"
    deleted = event.detail["deleted"]
    assert deleted["note"] == "Met at the library"
    assert deleted["contact_date"] == iso(ago(3))
    assert deleted["client_id"] == own_client.pk
    assert event.program_id == own_client.program_id


def test_the_service_refuses_another_program_and_a_missing_reason(contact, specialist_b, specialist_a):
    with pytest.raises(Http404):
        corrections.delete_contact(contact, user=specialist_b, reason="Duplicate")
    with pytest.raises(RuleViolation) as refused:
        corrections.delete_contact(contact, user=specialist_a, reason="")
    assert "reason" in refused.value.message_dict
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_deleted_contact_stops_counting_in_the_figures(contact, own_client, specialist_a):
    # Community share = community minutes / all minutes of client contacts in the period.
    f.ContactFactory(client=own_client, staff=specialist_a, contact_date=ago(2), minutes=15, place="office")
    programs = Program.objects.filter(pk=own_client.program_id)
    period = Period.custom(ago(10), ago(0))
    before = community_share(programs, period)
    assert (before.numerator, before.denominator) == (45, 60)  # 45 community of 45 + 15
    corrections.delete_contact(contact, user=specialist_a, reason="Wrong client")
    after = community_share(programs, period)
    assert (after.numerator, after.denominator) == (0, 15)


# --- Benefits sessions, plan steps, past jobs ------------------------------------------------------


def test_a_benefits_session_is_deleted_with_its_reason(logged_in, own_client):
    session = f.BenefitsCounselingSessionFactory(client=own_client, session_date=ago(8), counselor_name="R. Okafor")
    edit = reverse("clients:benefits_edit", args=[own_client.pk, session.pk])
    url = reverse("clients:benefits_delete", args=[own_client.pk, session.pk])
    assert url in logged_in.get(edit).content.decode()
    assert logged_in.post(url, {"reason": "Entered on the wrong client"}).status_code == 302
    assert not BenefitsCounselingSession.objects.filter(pk=session.pk).exists()
    event = deletion(session)
    assert event.detail["deleted"]["counselor_name"] == "R. Okafor"
    assert event.detail["reason"] == "Entered on the wrong client"


def test_a_plan_step_is_deleted_with_its_reason(logged_in, own_client):
    plan = f.EmploymentPlanFactory(client=own_client, start_date=ago(30))
    step = f.PlanStepFactory(plan=plan, description="Visit the bakery")
    edit = reverse("clients:step_edit", args=[own_client.pk, step.pk])
    url = reverse("clients:step_delete", args=[own_client.pk, step.pk])
    assert url in logged_in.get(edit).content.decode()
    assert logged_in.post(url, {"reason": "Duplicate step"}).status_code == 302
    assert not PlanStep.objects.filter(pk=step.pk).exists()
    assert deletion(step).detail["deleted"]["description"] == "Visit the bakery"


def test_a_past_job_is_deleted_with_its_reason(logged_in, own_client):
    entry = f.WorkHistoryEntryFactory(profile=f.CareerProfileFactory(client=own_client), job_title="Cook")
    url = reverse("clients:work_history_delete", args=[own_client.pk, entry.pk])
    assert logged_in.post(url, {}).status_code == 200
    assert WorkHistoryEntry.objects.filter(pk=entry.pk).exists()
    assert logged_in.post(url, {"reason": "Not this client's job"}).status_code == 302
    assert deletion(entry).detail["deleted"]["job_title"] == "Cook"


def test_a_record_deleted_meanwhile_is_a_404_not_a_500(contact, specialist_a):
    stale = Contact.objects.get(pk=contact.pk)
    corrections.delete_contact(contact, user=specialist_a, reason="Duplicate")
    with pytest.raises(Http404):
        corrections.delete_contact(stale, user=specialist_a, reason="Duplicate")
    assert AuditEvent.objects.filter(action=Action.DELETE).count() == 1


def test_the_deleted_values_are_json(contact):
    values = corrections.values_of(contact)
    assert values["contact_date"] == contact.contact_date.isoformat()
    assert isinstance(datetime.date.fromisoformat(values["contact_date"]), datetime.date)
