"""The client record (caseload.views.client_detail): facts, sections and one timeline, paged with htmx
"show more" or ?tpage= without JavaScript; the parts that refresh after a quick log or a step."""

import json

import pytest
from django.urls import reverse

from audit.models import Action
from caseload import selectors
from clients.models import Contact

from .. import factories as f
from .support import ago, audited

pytestmark = pytest.mark.django_db


def test_client_record_shows_facts_sections_and_one_timeline(logged_in, own_client):
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
    assert [j.job_title for j in response.context["jobs"]] == ["Baker"]
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


def test_facts_part_and_step_toggle_tell_the_page_to_refresh(logged_in, own_client):
    response = logged_in.get(reverse("clients:client_detail", args=[own_client.pk]), {"part": "facts"})
    body = response.content.decode()
    assert body.strip().startswith('<section id="client-facts"') and "<html" not in body
    step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=own_client))
    response = logged_in.post(reverse("clients:step_toggle", args=[own_client.pk, step.pk]), HTTP_HX_REQUEST="true")
    assert json.loads(response["HX-Trigger"]) == {"stepChanged": {"client": own_client.pk}}
