"""Career profile and work history: create, update under the optimistic lock (the second editor is
refused and sees the other change), add, edit and remove past jobs."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients.models import CareerProfile, WorkHistoryEntry
from programs.models import Role

from .. import factories as f
from .support import audited, form_data, iso, today

pytestmark = pytest.mark.django_db


def test_career_profile_created_then_updated(logged_in, own_client):
    url = reverse("clients:career_profile_edit", args=[own_client.pk])
    form = logged_in.get(url).context["form"]
    response = logged_in.post(url, form_data(form, work_goals="Work outdoors", transportation="Bus"))
    assert response.status_code == 302
    profile = CareerProfile.objects.get(client=own_client)
    assert profile.work_goals == "Work outdoors"
    assert audited(Action.CREATE, profile)
    form = logged_in.get(url).context["form"]
    response = logged_in.post(url, form_data(form, work_goals="Park maintenance"))
    assert response.status_code == 302
    assert CareerProfile.objects.get().work_goals == "Park maintenance"
    assert audited(Action.UPDATE, profile)
    future = form_data(logged_in.get(url).context["form"], last_reviewed=iso(today() + datetime.timedelta(days=3)))
    assert "last_reviewed" in logged_in.post(url, future).context["form"].errors


def test_career_profile_second_editor_is_refused_and_sees_the_other_change(client, own_client, specialist_a, program_a):
    profile = f.CareerProfileFactory(client=own_client, work_goals="Retail")
    url = reverse("clients:career_profile_edit", args=[own_client.pk])
    colleague = f.make_user(Role.SUPERVISOR, program=program_a, username="colleague_sup")
    client.force_login(specialist_a)
    mine = form_data(client.get(url).context["form"])
    client.force_login(colleague)
    theirs = form_data(client.get(url).context["form"], work_goals="Warehouse work")
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


def test_career_profile_form_is_versioned(client, own_client, specialist_a, supervisor_a):
    """Two people open the empty profile; the second to save does not silently overwrite the first."""
    url = reverse("clients:career_profile_edit", args=[own_client.pk])
    client.force_login(specialist_a)
    mine = form_data(client.get(url).context["form"], work_goals="Mine")
    assert mine["version"] == ""  # no profile yet: the form starts from no version
    client.force_login(supervisor_a)
    assert client.post(url, form_data(client.get(url).context["form"], work_goals="Theirs")).status_code == 302
    client.force_login(specialist_a)
    response = client.post(url, mine)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert CareerProfile.objects.get(client=own_client).work_goals == "Theirs"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="clients.careerprofile").count() == 0


def test_work_history_add_edit_delete(logged_in, own_client):
    url = reverse("clients:work_history_create", args=[own_client.pk])
    data = {"employer_name": "Pier Café", "job_title": "Barista", "start_date": "2021-05-01", "end_date": "2021-03-01"}
    response = logged_in.post(url, data)
    assert "cannot be before the start" in str(response.context["form"].errors["end_date"])
    assert 'value="Pier Café"' in response.content.decode()
    assert logged_in.post(url, {**data, "end_date": "2021-09-01"}).status_code == 302
    entry = WorkHistoryEntry.objects.get(profile__client=own_client)
    assert audited(Action.CREATE, entry)
    edit = reverse("clients:work_history_edit", args=[own_client.pk, entry.pk])
    form = logged_in.get(edit).context["form"]
    response = logged_in.post(
        edit, {**data, "end_date": "2021-09-01", "job_title": "Shift lead", "version": form.initial["version"]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.job_title == "Shift lead" and audited(Action.UPDATE, entry)
    stale = {**data, "end_date": "2021-09-01", "job_title": "Stale", "version": form.initial["version"]}
    assert "Someone else saved" in logged_in.post(edit, stale).content.decode()
    delete = reverse("clients:work_history_delete", args=[own_client.pk, entry.pk])
    assert b"Shift lead" in logged_in.get(delete).content
    assert logged_in.post(delete).status_code == 200  # a reason is required
    assert logged_in.post(delete, {"reason": "Duplicate entry"}).status_code == 302
    assert not WorkHistoryEntry.objects.exists()
    assert audited(Action.DELETE, entry)
