"""Career profiles, work history, employment plans and steps through the API: the same services as
the pages (audited, dates not in the future), filters, cross-program 404, role refusals, idempotent
POST, stale updates refused with 412."""

import datetime

import pytest

from audit.models import Action, AuditEvent
from clients.models import CareerProfile, EmploymentPlan, PlanStep, WorkHistoryEntry

from .. import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def post(api, url, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(url, data, format="json", **headers)


def test_create_a_career_profile_then_update_it_under_the_lock(api_a, client_a, specialist_a, today):
    created = post(api_a, "/api/v1/career-profiles/", {"client": client_a.pk, "work_goals": "Bakery mornings"})
    assert created.status_code == 201, created.content
    row = created.json()
    assert CareerProfile.objects.get(client=client_a).work_goals == "Bakery mornings"
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="clients.careerprofile", user=specialist_a)
    # A second profile for the same client is refused (a client has one).
    again = post(api_a, "/api/v1/career-profiles/", {"client": client_a.pk})
    assert again.status_code == 400 and "client" in again.json()
    url = f"/api/v1/career-profiles/{row['id']}/"
    ok = api_a.patch(url, {"transportation": "Bus pass"}, format="json", HTTP_IF_MATCH=row["version"])
    assert ok.status_code == 200, ok.content
    stale = api_a.patch(url, {"transportation": "Car"}, format="json", HTTP_IF_MATCH=row["version"])
    assert stale.status_code == 412
    assert CareerProfile.objects.get(client=client_a).transportation == "Bus pass"
    assert api_a.patch(url, {"transportation": "Car"}, format="json").status_code == 428


def test_a_future_review_date_is_a_field_error(api_a, client_a, today):
    data = {"client": client_a.pk, "last_reviewed": (today + DAY).isoformat()}
    response = post(api_a, "/api/v1/career-profiles/", data)
    assert response.status_code == 400 and "last_reviewed" in response.json()
    assert not CareerProfile.objects.exists()


def test_work_history_is_added_idempotently_and_filtered_by_client(api_a, client_a, program_a, today):
    other = f.ClientFactory(program=program_a)
    f.WorkHistoryEntryFactory(profile=f.CareerProfileFactory(client=other))
    data = {"client": client_a.pk, "employer_name": "Mill Road Café", "job_title": "Barista"}
    first = post(api_a, "/api/v1/work-history/", data, key="wh-1")
    again = post(api_a, "/api/v1/work-history/", data, key="wh-1")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert WorkHistoryEntry.objects.filter(profile__client=client_a).count() == 1
    listed = api_a.get("/api/v1/work-history/", {"client": client_a.pk}).json()["results"]
    assert [row["id"] for row in listed] == [first.json()["id"]]
    assert listed[0]["client"] == client_a.pk


def test_work_history_end_before_start_is_refused(api_a, client_a):
    data = {
        "client": client_a.pk,
        "employer_name": "Depot",
        "job_title": "Stocker",
        "start_date": "2025-05-01",
        "end_date": "2025-04-01",
    }
    assert post(api_a, "/api/v1/work-history/", data).status_code == 400
    assert not WorkHistoryEntry.objects.exists()


def test_a_new_plan_replaces_the_current_one_and_steps_are_added(api_a, client_a, today):
    old = f.EmploymentPlanFactory(client=client_a, start_date=today - 60 * DAY)
    response = post(api_a, "/api/v1/employment-plans/", {"client": client_a.pk, "goal": "Retail", "start_date": today})
    assert response.status_code == 201, response.content
    old.refresh_from_db()
    assert not old.is_current and EmploymentPlan.objects.get(pk=response.json()["id"]).is_current
    plan_id = response.json()["id"]
    step = post(api_a, "/api/v1/plan-steps/", {"plan": plan_id, "description": "Visit three stores"})
    assert step.status_code == 201, step.content
    assert step.json()["position"] == 1  # the service numbers steps
    current = api_a.get("/api/v1/employment-plans/", {"client": client_a.pk, "is_current": "true"}).json()
    assert [row["id"] for row in current["results"]] == [plan_id]


def test_update_a_step_with_the_version_in_the_body(api_a, client_a, today):
    step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=client_a))
    row = api_a.get(f"/api/v1/plan-steps/{step.pk}/").json()
    data = {"completed_on": today.isoformat(), "version": row["version"]}
    assert api_a.patch(f"/api/v1/plan-steps/{step.pk}/", data, format="json").status_code == 200
    assert PlanStep.objects.get(pk=step.pk).completed_on == today
    data["description"] = "Changed on a stale copy"
    assert api_a.patch(f"/api/v1/plan-steps/{step.pk}/", data, format="json").status_code == 412


def test_other_programs_records_are_404_and_lists_hide_them(api_a, client_b):
    plan_b = f.EmploymentPlanFactory(client=client_b)
    step_b = f.PlanStepFactory(plan=plan_b)
    profile_b = f.CareerProfileFactory(client=client_b)
    for url in [
        f"/api/v1/employment-plans/{plan_b.pk}/",
        f"/api/v1/plan-steps/{step_b.pk}/",
        f"/api/v1/career-profiles/{profile_b.pk}/",
    ]:
        assert api_a.get(url).status_code == 404, url
    assert post(api_a, "/api/v1/plan-steps/", {"plan": plan_b.pk, "description": "x"}).status_code == 404
    assert post(api_a, "/api/v1/career-profiles/", {"client": client_b.pk}).status_code == 404
    for name in ["employment-plans", "plan-steps", "career-profiles", "work-history"]:
        assert api_a.get(f"/api/v1/{name}/").json()["results"] == [], name
    assert PlanStep.objects.count() == 1


def test_specialist_filter_and_trainer_refusal(supervisor_api, trainer_api, client_a, specialist_a, program_a):
    mine = f.EmploymentPlanFactory(client=client_a)
    f.EmploymentPlanFactory(client=f.ClientFactory(program=program_a))  # nobody's caseload
    rows = supervisor_api.get("/api/v1/employment-plans/", {"specialist": specialist_a.pk}).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert trainer_api.get("/api/v1/employment-plans/").status_code == 403
    assert post(trainer_api, "/api/v1/employment-plans/", {"client": client_a.pk}).status_code == 403
