"""Employment plan and its steps: a new plan retires the current one, steps are added, edited under the
optimistic lock and marked done (and undone) in one tap."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Action
from clients.models import EmploymentPlan, PlanStep

from .. import factories as f
from .support import ago, audited, iso, today

pytestmark = pytest.mark.django_db


def test_new_plan_makes_the_old_one_not_current(logged_in, own_client):
    old = f.EmploymentPlanFactory(client=own_client, start_date=ago(100))
    url = reverse("clients:plan_create", args=[own_client.pk])
    assert "no longer be current" in logged_in.get(url).content.decode()
    response = logged_in.post(url, {"goal": "Library work", "start_date": iso(ago(1)), "review_date": iso(ago(2))})
    assert "review" in str(response.context["form"].errors["review_date"])
    assert "Library work" in response.content.decode()
    response = logged_in.post(url, {"goal": "Library work", "start_date": iso(ago(1)), "review_date": ""})
    assert response.status_code == 302
    old.refresh_from_db()
    current = EmploymentPlan.objects.get(client=own_client, is_current=True)
    assert not old.is_current and current.goal == "Library work"
    assert audited(Action.CREATE, current)
    edit = reverse("clients:plan_edit", args=[own_client.pk, current.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    response = logged_in.post(edit, {"goal": "Library or archive", "start_date": iso(ago(1)), "version": version})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.goal == "Library or archive" and audited(Action.UPDATE, current)


def test_plan_steps_add_edit_and_mark_done(logged_in, own_client):
    plan = f.EmploymentPlanFactory(client=own_client)
    f.PlanStepFactory(plan=plan, position=3)
    url = reverse("clients:step_create", args=[own_client.pk, plan.pk])
    response = logged_in.post(url, {"description": "", "responsible": "client"})
    assert "description" in response.context["form"].errors
    response = logged_in.post(url, {"description": "Call the library", "responsible": "specialist"})
    assert response.status_code == 302
    step = PlanStep.objects.get(description="Call the library")
    assert step.position == 4 and audited(Action.CREATE, step)
    edit = reverse("clients:step_edit", args=[own_client.pk, step.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    future = iso(today() + datetime.timedelta(days=1))
    data = {"description": "Call the library", "responsible": "client", "completed_on": future, "version": version}
    assert "completed_on" in logged_in.post(edit, data).context["form"].errors
    assert logged_in.post(edit, {**data, "completed_on": ""}).status_code == 302
    toggle = reverse("clients:step_toggle", args=[own_client.pk, step.pk])
    response = logged_in.post(toggle, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Mark not done" in response.content.decode()
    step.refresh_from_db()
    assert step.completed_on == today() and step.responsible == "client"
    assert logged_in.post(toggle, {"done": "0"}).status_code == 302
    step.refresh_from_db()
    assert step.completed_on is None
    assert audited(Action.UPDATE, step)
