"""Who reaches a client's pages: login required, another program's client (and a sub-record of another
client) is a 404, a teammate of the same program gets the pages, trainers see none; every page audited."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients.models import Contact, PlanStep

from .. import factories as f

pytestmark = pytest.mark.django_db


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


def test_a_teammate_of_the_program_gets_every_page_and_may_log(client, teammate, own_client):
    client.force_login(teammate)
    for url in client_urls(own_client):
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("clients:quick_contact", args=[own_client.pk]), {"note": "Covering for Dana"})
    assert response.status_code == 302
    assert Contact.objects.get(client=own_client).staff == teammate


def test_trainers_see_no_client_pages(client, trainer, own_client):
    client.force_login(trainer)
    assert client.get(reverse("clients:caseload")).status_code == 404
    assert client.get(reverse("clients:client_detail", args=[own_client.pk])).status_code == 404
    assert client.get(reverse("clients:referral_create")).status_code == 404
