"""A job recorded by mistake (e.g. on the wrong client) is deleted with a required reason (#13.4); its
follow-along supports go with it, and the job's and the supports' values are kept in the audit entry."""

import pytest
from django.http import Http404
from django.urls import reverse

from audit.models import Action, AuditEvent
from core.errors import RuleViolation
from jobs import services
from jobs.models import FollowAlongSupport, JobStart
from outcomes.periods import Period
from outcomes.querysets import job_starts
from programs.models import Program

from .support import DAY

pytestmark = pytest.mark.django_db


def delete_url(job):
    return reverse("jobs:job_delete", args=[job.pk])


def test_the_job_edit_page_links_to_the_delete_page(web, job_a):
    assert delete_url(job_a) in web.get(reverse("jobs:job_edit", args=[job_a.pk])).content.decode()


def test_the_delete_page_asks_for_a_reason_and_says_the_supports_go_too(web, job_a, support_a):
    page = web.get(delete_url(job_a)).content.decode()
    assert "Delete this job?" in page
    assert 'name="reason"' in page
    assert "Its 1 follow-along support record will be deleted too." in page


def test_a_delete_without_a_reason_is_refused(web, job_a):
    response = web.post(delete_url(job_a), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert JobStart.objects.filter(pk=job_a.pk).exists()


def test_a_delete_removes_the_job_and_its_supports_and_audits_their_values(web, job_a, support_a, client_a):
    job_pk, support_pk = job_a.pk, support_a.pk
    response = web.post(delete_url(job_a), {"reason": "Entered on the wrong client"})
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])
    assert not JobStart.objects.filter(pk=job_pk).exists()
    assert not FollowAlongSupport.objects.filter(pk=support_pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="jobs.jobstart", object_id=str(job_pk))
    assert event.detail["reason"] == "Entered on the wrong client"
    assert event.detail["deleted"]["job_title"] == job_a.job_title
    assert event.detail["deleted"]["client_id"] == client_a.pk
    assert [s["description"] for s in event.detail["supports_deleted"]] == ["Met the shift lead"]
    assert event.program_id == client_a.program_id


def test_another_programs_job_is_a_404(web, job_b, outsider, job_a):
    assert web.get(delete_url(job_b)).status_code == 404
    assert web.post(delete_url(job_b), {"reason": "Wrong client"}).status_code == 404
    assert JobStart.objects.filter(pk=job_b.pk).exists()
    with pytest.raises(Http404):
        services.delete_job(job_a, user=outsider, reason="Wrong client")


def test_the_service_requires_a_reason(job_a, specialist_a):
    with pytest.raises(RuleViolation):
        services.delete_job(job_a, user=specialist_a, reason="  ")
    assert JobStart.objects.filter(pk=job_a.pk).exists()


def test_a_deleted_job_stops_counting_as_a_job_start(job_a, specialist_a, client_a, today):
    # job_a is a competitive job that started 30 days ago for an active client: one start in the period.
    programs = Program.objects.filter(pk=client_a.program_id)
    period = Period.custom(today - 40 * DAY, today)
    assert job_starts(programs, period).count() == 1
    services.delete_job(job_a, user=specialist_a, reason="Duplicate")
    assert job_starts(programs, period).count() == 0
