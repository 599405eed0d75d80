"""Pages and forms of the clients app: valid, invalid (input kept, error by the field),
another program's record (404), login required, audited."""

import datetime
import json

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from clients import selectors, services
from clients.forms import CareerProfileForm
from clients.models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    Contact,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)
from programs.models import Role

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(n):
    return TODAY - datetime.timedelta(days=n)


def iso(day):
    return day.isoformat()


@pytest.fixture
def own_client(program_a, specialist_a):
    client = f.ClientFactory(program=program_a, first_name="Marlo", last_name="Fenwick")
    f.EnrollmentFactory(client=client, enrollment_date=ago(40), referral_date=ago(45), specialist=specialist_a)
    return client


@pytest.fixture
def other_client(program_b, specialist_b):
    client = f.ClientFactory(program=program_b, first_name="Outside", last_name="Person")
    f.EnrollmentFactory(client=client, enrollment_date=ago(40), specialist=specialist_b)
    return client


@pytest.fixture
def logged_in(client, specialist_a):
    client.force_login(specialist_a)
    return client


def audited(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).exists()


def client_urls(c):
    """Every page of one client (GET), with its sub-records created for the occasion."""
    episode = c.enrollments.get()
    profile = f.CareerProfileFactory(client=c)
    entry = f.WorkHistoryEntryFactory(profile=profile)
    plan = f.EmploymentPlanFactory(client=c)
    step = f.PlanStepFactory(plan=plan)
    session = f.BenefitsCounselingSessionFactory(client=c)
    return [
        reverse("clients:client_detail", args=[c.pk]),
        reverse("clients:client_timeline", args=[c.pk]),
        reverse("clients:contact_create", args=[c.pk]),
        reverse("clients:enroll", args=[c.pk, episode.pk]),
        reverse("clients:close_enrollment", args=[c.pk, episode.pk]),
        reverse("clients:reenroll", args=[c.pk]),
        reverse("clients:career_profile_edit", args=[c.pk]),
        reverse("clients:work_history_create", args=[c.pk]),
        reverse("clients:work_history_edit", args=[c.pk, entry.pk]),
        reverse("clients:work_history_delete", args=[c.pk, entry.pk]),
        reverse("clients:plan_create", args=[c.pk]),
        reverse("clients:plan_edit", args=[c.pk, plan.pk]),
        reverse("clients:step_create", args=[c.pk, plan.pk]),
        reverse("clients:step_edit", args=[c.pk, step.pk]),
        reverse("clients:benefits_create", args=[c.pk]),
        reverse("clients:benefits_edit", args=[c.pk, session.pk]),
    ]


# --- Access ----------------------------------------------------------------------------------------


def test_every_page_requires_login(client, own_client):
    urls = [reverse("clients:caseload"), reverse("clients:referral_create"), *client_urls(own_client)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))
    response = client.post(reverse("clients:quick_contact", args=[own_client.pk]), {})
    assert response.status_code == 302


def test_every_page_of_another_programs_client_is_a_404(logged_in, own_client, other_client):
    for url in client_urls(other_client):
        assert logged_in.get(url).status_code == 404, url
    for url in client_urls(own_client):
        before = AuditEvent.objects.filter(action=Action.VIEW).count()
        assert logged_in.get(url).status_code == 200, url
        assert AuditEvent.objects.filter(action=Action.VIEW).count() == before + 1, url  # every page audited
    step = PlanStep.objects.filter(plan__client=other_client).first()
    for url in [
        reverse("clients:quick_contact", args=[other_client.pk]),
        reverse("clients:step_toggle", args=[other_client.pk, step.pk]),
    ]:
        assert logged_in.post(url, {"mode": "phone"}).status_code == 404
    assert not Contact.objects.filter(client=other_client).exists()
    # A sub-record of another client (even in the same program) is a 404 under this client's URL.
    sibling = f.EnrollmentFactory(client__program=own_client.program).client
    sibling_step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=sibling, is_current=True))
    assert logged_in.get(reverse("clients:step_edit", args=[own_client.pk, sibling_step.pk])).status_code == 404


def test_trainers_see_no_client_pages(client, trainer, own_client):
    client.force_login(trainer)
    assert client.get(reverse("clients:caseload")).status_code == 404
    assert client.get(reverse("clients:client_detail", args=[own_client.pk])).status_code == 404


# --- Landing and caseload --------------------------------------------------------------------------


def test_a_specialist_lands_on_my_caseload_and_a_supervisor_on_home(client, specialist_a, supervisor_a):
    client.force_login(specialist_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("clients:caseload")
    client.force_login(supervisor_a)
    assert client.get(reverse("home")).status_code == 200


def test_caseload_lists_my_clients_and_toggles_to_the_program(logged_in, own_client, other_client, program_a):
    colleague_client = f.EnrollmentFactory(
        client__program=program_a,
        client__last_name="Colleaguesclient",
        specialist=f.make_user(Role.SPECIALIST, program=program_a, username="colleague"),
    ).client
    response = logged_in.get(reverse("clients:caseload"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    assert b"Fenwick" in response.content and b"Colleaguesclient" not in response.content
    response = logged_in.get(reverse("clients:caseload"), {"scope": "program"})
    assert {r.pk for r in response.context["data"].rows} == {own_client.pk, colleague_client.pk}
    assert b"Person" not in response.content  # another program's client
    assert AuditEvent.objects.filter(action=Action.VIEW, detail__page="caseload").count() == 2


def test_caseload_filters_and_sorts_by_get_parameters(logged_in, own_client, program_a, specialist_a):
    quiet = f.EnrollmentFactory(
        client__program=program_a, client__last_name="Aaronson", enrollment_date=ago(3), specialist=specialist_a
    ).client
    f.ContactFactory(client=quiet, contact_date=TODAY)
    response = logged_in.get(reverse("clients:caseload"), {"alert": "no_employer_contact"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"sort": "alerts"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk, quiet.pk]
    response = logged_in.get(reverse("clients:caseload"), {"sort": "name"})
    assert [r.pk for r in response.context["data"].rows] == [quiet.pk, own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"q": "fenw", "phase": "engaging"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"phase": "working"})
    assert response.context["data"].rows == []
    assert b"No client matches these filters" in response.content
    # Unknown values fall back to the defaults instead of failing.
    response = logged_in.get(reverse("clients:caseload"), {"sort": "drop table", "phase": "x", "alert": "y"})
    assert response.status_code == 200 and len(response.context["data"].rows) == 2


def test_supervisors_see_the_whole_program_by_default(client, supervisor_a, own_client):
    client.force_login(supervisor_a)
    response = client.get(reverse("clients:caseload"))
    assert response.context["scope"] == "program"
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]


# --- Client record ---------------------------------------------------------------------------------


def test_client_record_shows_facts_sections_and_one_timeline(logged_in, own_client, program_a, specialist_a):
    job = f.JobStartFactory(
        client=own_client,
        job_title="Baker",
        start_date=ago(20),
        end_date=ago(5),
        end_type="laid_off",
        employer__name="Crumb Co",
    )
    f.FollowAlongSupportFactory(job=job, support_date=ago(18), description="Met the shift lead")
    f.ContactFactory(client=own_client, contact_date=ago(1), note="Talked about the layoff")
    f.EmployerContactFactory(employer=job.employer, contact_date=ago(25), clients=[own_client], outcome="Open role")
    f.BenefitsCounselingSessionFactory(client=own_client, session_date=ago(30))
    plan = f.EmploymentPlanFactory(client=own_client, start_date=ago(35), goal="Bakery work")
    f.PlanStepFactory(plan=plan, description="Bring a résumé", completed_on=ago(22))
    f.WorkHistoryEntryFactory(profile=f.CareerProfileFactory(client=own_client), job_title="Porter")
    response = logged_in.get(reverse("clients:client_detail", args=[own_client.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["Marlo Fenwick", own_client.record_number, "Porter", "Bakery work", "Bring a résumé", "Baker"]:
        assert text in body
    kinds = [item.kind for item in response.context["timeline"]]
    assert kinds == [
        "contact",
        "job_end",
        "support",
        "job_start",
        "step",
        "employer_contact",
        "benefits",
        "plan",
        "enrollment",
        "enrollment",
    ]
    assert audited(Action.VIEW, own_client)


def test_timeline_pages_and_show_more(logged_in, own_client):
    size = selectors.TIMELINE_PAGE
    Contact.objects.bulk_create(
        Contact(client=own_client, contact_date=ago(i), mode="phone", note=f"call {i}") for i in range(size + 5)
    )
    total = size + 5 + 2  # the contacts, the referral and the enrollment
    response = logged_in.get(reverse("clients:client_detail", args=[own_client.pk]))
    assert len(response.context["timeline"]) == size and response.context["has_more"]
    assert b"Show more" in response.content
    response = logged_in.get(reverse("clients:client_timeline", args=[own_client.pk]), {"page": 2})
    notes = [item.detail for item in response.context["timeline"]]
    assert len(notes) == total - size and not response.context["has_more"]
    assert f"call {size}" in notes[0]
    # Without JS: ?tpage=2 shows both pages at once.
    response = logged_in.get(reverse("clients:client_detail", args=[own_client.pk]), {"tpage": 2})
    assert len(response.context["timeline"]) == total


# --- Contacts --------------------------------------------------------------------------------------


def quick_data(**extra):
    data = {
        "contact_date": iso(TODAY),
        "with_whom": "client",
        "mode": "face_to_face",
        "place": "community",
        "minutes": "",
        "note": "",
    }
    data.update(extra)
    return data


def test_quick_contact_from_the_caseload_by_htmx_returns_the_row_and_a_trigger(logged_in, own_client, specialist_a):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(url, quick_data(**{"from": "caseload"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"contactLogged": {"client": own_client.pk}}
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="client-row-{own_client.pk}"')
    assert "Contact saved" in body and "today" in body
    contact = Contact.objects.get(client=own_client)
    assert (contact.staff, contact.contact_date, contact.mode, contact.place) == (
        specialist_a,
        TODAY,
        "face_to_face",
        "community",
    )
    assert audited(Action.CREATE, contact)


def test_quick_contact_without_js_redirects_back(logged_in, own_client):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(url, quick_data(note="Coffee", next="/clients/?sort=alerts"))
    assert response.status_code == 302 and response.url == "/clients/?sort=alerts"
    response = logged_in.post(url, {"note": "Only a note", "next": "https://evil.example/"})
    assert response.url == reverse("clients:client_detail", args=[own_client.pk])
    assert Contact.objects.filter(client=own_client).count() == 2
    defaulted = Contact.objects.get(note="Only a note")  # everything left out takes the defaults
    assert (defaulted.contact_date, defaulted.with_whom, defaulted.mode, defaulted.place) == (
        TODAY,
        "client",
        "face_to_face",
        "community",
    )
    assert logged_in.get(url).status_code == 405


def test_quick_contact_invalid_keeps_the_input_and_shows_the_error(logged_in, own_client):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(
        url, quick_data(minutes="2000", note="Long day", **{"from": "caseload"}), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert 'details class="quick-log" open' in body
    assert "1440" in body and 'value="Long day"' in body and 'value="2000"' in body
    response = logged_in.post(url, quick_data(minutes="-5", note="On the record"), HTTP_HX_REQUEST="true")
    assert 'id="quick-contact"' in response.content.decode() and "On the record" in response.content.decode()
    assert not Contact.objects.exists()


def test_full_contact_form_valid_and_future_date_refused(logged_in, own_client):
    url = reverse("clients:contact_create", args=[own_client.pk])
    page = logged_in.get(url)
    assert page.context["form"].initial["mode"] == "face_to_face"
    tomorrow = TODAY + datetime.timedelta(days=1)
    data = quick_data(contact_date=iso(tomorrow), with_whom="mh_team", mode="phone", place="office", note="Team")
    response = logged_in.post(url, data)
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].errors["contact_date"])
    assert "Team</textarea>" in response.content.decode()
    assert not Contact.objects.exists()
    response = logged_in.post(url, quick_data(contact_date=iso(ago(2)), with_whom="mh_team", mode="", minutes="20"))
    assert "mode" in response.context["form"].errors
    response = logged_in.post(url, quick_data(contact_date=iso(ago(2)), with_whom="mh_team", mode="video"))
    assert response.status_code == 302
    assert Contact.objects.get().with_whom == "mh_team"


def test_log_contact_service_refuses_future_dates(own_client, specialist_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.log_contact(specialist_a, own_client, contact_date=TODAY + datetime.timedelta(days=1))
    assert "contact_date" in exc.value.message_dict
    contact = services.log_contact(specialist_a, own_client, note="  hello ")
    assert (contact.contact_date, contact.with_whom, contact.note) == (TODAY, "client", "hello")


# --- Referral, enrollment, closure, re-enrollment --------------------------------------------------


def referral_data(program, **extra):
    data = {
        "program": program.pk,
        "referral_date": iso(ago(1)),
        "specialist": "",
        "first_name": "Tamsin",
        "last_name": "Orchard",
        "preferred_name": "",
        "record_number": "R-100",
        "date_of_birth": "1991-04-02",
        "phone": "",
        "diagnosis_group": "depression",
        "treatment_team": "",
        "education_level": "",
        "disclosure_preference": "undecided",
    }
    data.update(extra)
    return data


def test_referral_creates_client_and_pending_episode(logged_in, program_a, specialist_a):
    url = reverse("clients:referral_create")
    response = logged_in.post(url, referral_data(program_a, specialist=specialist_a.pk))
    new = Client.objects.get(record_number="R-100")
    assert response.status_code == 302 and response.url == reverse("clients:client_detail", args=[new.pk])
    episode = new.enrollments.get()
    assert (episode.referral_date, episode.enrollment_date, episode.specialist) == (ago(1), None, specialist_a)
    assert audited(Action.CREATE, new)


def test_referral_duplicate_record_number_is_a_field_error_and_keeps_input(logged_in, program_a, program_b):
    f.ClientFactory(program=program_a, record_number="R-100")
    f.ClientFactory(program=program_b, record_number="R-200")
    url = reverse("clients:referral_create")
    response = logged_in.post(url, referral_data(program_a))
    assert response.status_code == 200
    assert "record number" in str(response.context["form"].errors["record_number"])
    assert 'value="Tamsin"' in response.content.decode()
    # Another program's number does not clash; another program cannot be chosen.
    response = logged_in.post(url, referral_data(program_a, record_number="R-200", first_name="Ok"))
    assert response.status_code == 302
    response = logged_in.post(url, referral_data(program_b, record_number="R-300"))
    assert "program" in response.context["form"].errors
    future = referral_data(program_a, record_number="R-400", referral_date=iso(TODAY + datetime.timedelta(days=2)))
    assert "referral_date" in logged_in.post(url, future).context["form"].errors
    assert Client.objects.filter(program=program_a).count() == 2


def test_referral_race_on_the_record_number_is_a_field_error(logged_in, program_a, monkeypatch):
    """Both requests pass the check; the unique constraint decides and the loser gets a field error."""
    f.ClientFactory(program=program_a, record_number="R-100")
    exists = QuerySet.exists
    monkeypatch.setattr(QuerySet, "exists", lambda self: False if self.model is Client else exists(self))
    response = logged_in.post(reverse("clients:referral_create"), referral_data(program_a))
    assert response.status_code == 200
    assert "record number" in str(response.context["form"].errors["record_number"])
    assert Client.objects.filter(program=program_a).count() == 1


def test_enroll_sets_date_and_specialist(logged_in, program_a, specialist_a, specialist_b):
    c = f.EnrollmentFactory(client__program=program_a, referral_date=ago(10), enrollment_date=None).client
    episode = c.enrollments.get()
    url = reverse("clients:enroll", args=[c.pk, episode.pk])
    data = {"enrollment_date": iso(ago(11)), "specialist": specialist_a.pk, "employed_at_enrollment": "on"}
    response = logged_in.post(url, data)
    assert "before the referral" in str(response.context["form"].errors)
    response = logged_in.post(url, {**data, "enrollment_date": iso(ago(2)), "specialist": specialist_b.pk})
    assert "specialist" in response.context["form"].errors  # not one of this program's specialists
    response = logged_in.post(url, {**data, "enrollment_date": iso(TODAY + datetime.timedelta(days=1))})
    assert "enrollment_date" in response.context["form"].errors
    response = logged_in.post(url, {**data, "enrollment_date": iso(ago(2))})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.enrollment_date, episode.specialist, episode.employed_at_enrollment) == (ago(2), specialist_a, True)
    assert audited(Action.UPDATE, episode)


def test_close_needs_a_reason_and_a_date_not_before_enrollment(logged_in, own_client):
    episode = own_client.enrollments.get()
    url = reverse("clients:close_enrollment", args=[own_client.pk, episode.pk])
    response = logged_in.post(url, {"closure_date": iso(ago(41)), "closure_reason": "", "closure_note": "Moving"})
    errors = response.context["form"].errors
    assert "closure_date" in errors and "closure_reason" in errors
    assert "Moving" in response.content.decode()
    response = logged_in.post(url, {"closure_date": iso(ago(1)), "closure_reason": "moved", "closure_note": "Moving"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (ago(1), "moved")
    # A closed episode cannot be closed again.
    assert logged_in.get(url).status_code == 404


def test_reenroll_creates_a_new_episode_only_when_none_is_open(logged_in, own_client, specialist_a):
    url = reverse("clients:reenroll", args=[own_client.pk])
    data = {"referral_date": iso(ago(1)), "enrollment_date": iso(ago(0)), "specialist": specialist_a.pk}
    response = logged_in.post(url, data)
    assert "already has an open enrollment" in str(response.context["form"].non_field_errors())
    own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
    response = logged_in.post(url, {**data, "referral_date": iso(ago(6)), "enrollment_date": ""})
    assert "before the last one closed" in str(response.context["form"].errors["referral_date"])
    response = logged_in.post(url, data)
    assert response.status_code == 302
    assert own_client.enrollments.count() == 2
    assert own_client.enrollments.filter(closure_date__isnull=True).get().enrollment_date == TODAY


def test_reenroll_race_on_the_one_open_episode_is_a_form_error(logged_in, own_client, specialist_a, monkeypatch):
    """The check passes in both requests; the database's unique constraint decides."""
    own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
    Enrollment.objects.create(client=own_client, referral_date=ago(1))  # the other request won
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    response = logged_in.post(
        reverse("clients:reenroll", args=[own_client.pk]), {"referral_date": iso(ago(1)), "specialist": ""}
    )
    assert response.status_code == 200
    assert "already has an open enrollment" in str(response.context["form"].non_field_errors())
    assert own_client.enrollments.count() == 2


# --- Career profile and work history ---------------------------------------------------------------


def profile_data(form, **values):
    data = dict.fromkeys(form.fields, "")
    data.update({k: v for k, v in form.initial.items() if v is not None and k in form.fields})
    for key, value in list(data.items()):
        if isinstance(value, datetime.date):
            data[key] = iso(value)
    data.update(values)
    return data


def test_career_profile_created_then_updated(logged_in, own_client):
    url = reverse("clients:career_profile_edit", args=[own_client.pk])
    form = logged_in.get(url).context["form"]
    response = logged_in.post(url, profile_data(form, work_goals="Work outdoors", transportation="Bus"))
    assert response.status_code == 302
    profile = CareerProfile.objects.get(client=own_client)
    assert profile.work_goals == "Work outdoors"
    assert audited(Action.CREATE, profile)
    form = logged_in.get(url).context["form"]
    response = logged_in.post(url, profile_data(form, work_goals="Park maintenance"))
    assert response.status_code == 302
    assert CareerProfile.objects.get().work_goals == "Park maintenance"
    assert audited(Action.UPDATE, profile)
    future = profile_data(logged_in.get(url).context["form"], last_reviewed=iso(TODAY + datetime.timedelta(days=3)))
    assert "last_reviewed" in logged_in.post(url, future).context["form"].errors


def test_career_profile_second_editor_is_refused_and_sees_the_other_change(client, own_client, specialist_a, program_a):
    profile = f.CareerProfileFactory(client=own_client, work_goals="Retail")
    url = reverse("clients:career_profile_edit", args=[own_client.pk])
    colleague = f.make_user(Role.SUPERVISOR, program=program_a, username="colleague_sup")
    client.force_login(specialist_a)
    mine = profile_data(client.get(url).context["form"])
    client.force_login(colleague)
    theirs = profile_data(client.get(url).context["form"], work_goals="Warehouse work")
    assert client.post(url, theirs).status_code == 302
    client.force_login(specialist_a)
    response = client.post(url, {**mine, "work_goals": "Office work"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record" in body
    assert "Warehouse work" in body and "Office work" in body  # theirs shown, mine kept
    assert ("Work goals", "Warehouse work", "Office work") in response.context["form"].conflict_changes
    profile.refresh_from_db()
    assert profile.work_goals == "Warehouse work"
    # Saving again after seeing the conflict is a deliberate overwrite.
    again = dict(response.context["form"].data.items())
    assert client.post(url, again).status_code == 302
    profile.refresh_from_db()
    assert profile.work_goals == "Office work"


def test_career_profile_form_is_versioned():
    assert issubclass(CareerProfileForm, __import__("core.forms").forms.VersionedModelForm)


def test_work_history_add_edit_delete(logged_in, own_client):
    url = reverse("clients:work_history_create", args=[own_client.pk])
    data = {"employer_name": "Pier Café", "job_title": "Barista", "start_date": "2021-05-01", "end_date": "2021-03-01"}
    response = logged_in.post(url, data)
    assert "cannot be before the start" in str(response.context["form"].errors["end_date"])
    assert 'value="Pier Café"' in response.content.decode()
    assert logged_in.post(url, {**data, "end_date": "2021-09-01"}).status_code == 302
    entry = WorkHistoryEntry.objects.get(profile__client=own_client)
    edit = reverse("clients:work_history_edit", args=[own_client.pk, entry.pk])
    form = logged_in.get(edit).context["form"]
    response = logged_in.post(
        edit, {**data, "end_date": "2021-09-01", "job_title": "Shift lead", "version": form.initial["version"]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.job_title == "Shift lead"
    delete = reverse("clients:work_history_delete", args=[own_client.pk, entry.pk])
    assert b"Shift lead" in logged_in.get(delete).content
    assert logged_in.post(delete).status_code == 302
    assert not WorkHistoryEntry.objects.exists()
    assert audited(Action.DELETE, entry)


# --- Employment plan and steps ---------------------------------------------------------------------


def test_new_plan_makes_the_old_one_not_current(logged_in, own_client):
    old = f.EmploymentPlanFactory(client=own_client, start_date=ago(100))
    url = reverse("clients:plan_create", args=[own_client.pk])
    response = logged_in.post(url, {"goal": "Library work", "start_date": iso(ago(1)), "review_date": iso(ago(2))})
    assert "review" in str(response.context["form"].errors["review_date"])
    assert "Library work" in response.content.decode()
    response = logged_in.post(url, {"goal": "Library work", "start_date": iso(ago(1)), "review_date": ""})
    assert response.status_code == 302
    old.refresh_from_db()
    current = EmploymentPlan.objects.get(client=own_client, is_current=True)
    assert not old.is_current and current.goal == "Library work"
    edit = reverse("clients:plan_edit", args=[own_client.pk, current.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    response = logged_in.post(edit, {"goal": "Library or archive", "start_date": iso(ago(1)), "version": version})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.goal == "Library or archive"


def test_plan_steps_add_edit_and_mark_done(logged_in, own_client):
    plan = f.EmploymentPlanFactory(client=own_client)
    f.PlanStepFactory(plan=plan, position=3)
    url = reverse("clients:step_create", args=[own_client.pk, plan.pk])
    response = logged_in.post(url, {"description": "", "responsible": "client"})
    assert "description" in response.context["form"].errors
    response = logged_in.post(url, {"description": "Call the library", "responsible": "specialist"})
    assert response.status_code == 302
    step = PlanStep.objects.get(description="Call the library")
    assert step.position == 4
    edit = reverse("clients:step_edit", args=[own_client.pk, step.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    future = iso(TODAY + datetime.timedelta(days=1))
    data = {"description": "Call the library", "responsible": "client", "completed_on": future, "version": version}
    assert "completed_on" in logged_in.post(edit, data).context["form"].errors
    assert logged_in.post(edit, {**data, "completed_on": ""}).status_code == 302
    toggle = reverse("clients:step_toggle", args=[own_client.pk, step.pk])
    response = logged_in.post(toggle, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Mark not done" in response.content.decode()
    step.refresh_from_db()
    assert step.completed_on == TODAY and step.responsible == "client"
    assert logged_in.post(toggle).status_code == 302
    step.refresh_from_db()
    assert step.completed_on is None


# --- Benefits counseling ---------------------------------------------------------------------------


def test_benefits_session_with_checkboxes_and_review_after_session(logged_in, own_client):
    url = reverse("clients:benefits_create", args=[own_client.pk])
    page = logged_in.get(url).content.decode()
    assert page.count('name="benefits_held"') == 9
    data = {
        "session_date": iso(ago(3)),
        "counselor_name": "Ada Planner",
        "counselor_type": "wipa",
        "benefits_held": ["ssi", "medicaid"],
        "work_incentives_discussed": ["twp", "1619b"],
        "written_plan_given": "on",
        "next_review_date": iso(ago(4)),
        "notes": "",
    }
    response = logged_in.post(url, data)
    assert "next review" in str(response.context["form"].errors["next_review_date"])
    assert 'value="ssi"' in response.content.decode() and "checked" in response.content.decode()
    assert logged_in.post(url, {**data, "next_review_date": iso(ago(3))}).status_code == 302
    session = BenefitsCounselingSession.objects.get(client=own_client)
    assert session.benefits_held == ["ssi", "medicaid"] and session.work_incentives_discussed == ["twp", "1619b"]
    assert audited(Action.CREATE, session)
    edit = reverse("clients:benefits_edit", args=[own_client.pk, session.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    response = logged_in.post(edit, {**data, "next_review_date": "", "benefits_held": ["ssdi"], "version": version})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.benefits_held == ["ssdi"]


def test_closed_clients_are_listed_under_the_closed_phase_with_re_enroll(logged_in, own_client):
    own_client.enrollments.update(closure_date=ago(2), closure_reason="goal_met")
    response = logged_in.get(reverse("clients:caseload"))
    assert response.context["data"].rows == []
    response = logged_in.get(reverse("clients:caseload"), {"phase": "closed"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    assert "Closed " in response.content.decode() and "Log contact" not in response.content.decode()
    record = logged_in.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert reverse("clients:reenroll", args=[own_client.pk]) in record
    assert "Working steadily, no longer wants services" in record


def test_facts_part_and_step_toggle_tell_the_page_to_refresh(logged_in, own_client):
    response = logged_in.get(reverse("clients:client_detail", args=[own_client.pk]), {"part": "facts"})
    body = response.content.decode()
    assert body.strip().startswith('<section id="client-facts"') and "<html" not in body
    step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=own_client))
    response = logged_in.post(reverse("clients:step_toggle", args=[own_client.pk, step.pk]), HTTP_HX_REQUEST="true")
    assert json.loads(response["HX-Trigger"]) == {"stepChanged": {"client": own_client.pk}}


def test_navigation_offers_the_caseload_by_role(client, specialist_a, supervisor_a, trainer):
    client.force_login(specialist_a)
    assert b">My caseload</a>" in client.get(reverse("clients:caseload")).content
    client.force_login(supervisor_a)
    assert b">Caseload</a>" in client.get(reverse("home")).content
    client.force_login(trainer)
    assert reverse("clients:caseload").encode() not in client.get(reverse("home")).content
