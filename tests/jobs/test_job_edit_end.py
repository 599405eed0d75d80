"""Correcting a job and recording its end, under the optimistic lock: a second editor is refused with the
other change shown and the input kept."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from core.locking import version_of
from jobs.models import JobStart

from .support import DAY, field_errors, messages_of, resolve

pytestmark = pytest.mark.django_db


def edit_data(job, **overrides):
    data = {
        "employer": job.employer_id,
        "job_title": job.job_title,
        "occupation_group": job.occupation_group,
        "start_date": job.start_date.isoformat(),
        "hours_per_week": str(job.hours_per_week),
        "hourly_wage": str(job.hourly_wage),
        "is_competitive": "on",
        "job_type": job.job_type,
        "disclosure": job.disclosure,
        "version": version_of(job),
    }
    data.update(overrides)
    return data


def end_data(job, **overrides):
    data = {
        "end_date": timezone.localdate().isoformat(),
        "end_type": "quit",
        "end_reason": "Found the early shifts too hard",
        "lessons_learned": "Prefers afternoon hours",
        "next_step": "Look for afternoon work",
        "version": version_of(job),
    }
    data.update(overrides)
    return data


def test_job_edit_saves(web, job_a):
    response = web.post(reverse("jobs:job_edit", args=[job_a.pk]), edit_data(job_a, hours_per_week="32"))
    assert response.status_code == 302
    job_a.refresh_from_db()
    assert job_a.hours_per_week == Decimal("32")
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(job_a.pk)).exists()


def test_job_edit_start_after_the_end_is_refused(web, job_a, today):
    job_a.end_date, job_a.end_type = today - 10 * DAY, "quit"
    job_a.save()
    response = web.post(
        reverse("jobs:job_edit", args=[job_a.pk]), edit_data(job_a, start_date=(today - 5 * DAY).isoformat())
    )
    assert response.status_code == 200
    assert field_errors(response, "start_date")
    assert f'value="{(today - 5 * DAY).isoformat()}"' in response.content.decode()


def test_job_edit_conflict_is_refused_and_shows_the_other_change(web, job_a, client, supervisor_a):
    url = reverse("jobs:job_edit", args=[job_a.pk])
    stale = edit_data(job_a, job_title="Head baker")
    # The supervisor saves first, from the same version.
    other = client.__class__()
    other.force_login(supervisor_a)
    assert other.post(url, edit_data(job_a, job_title="Pastry cook")).status_code == 302
    response = web.post(url, stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved" in html
    assert "Pastry cook" in html  # their value shown
    assert 'value="Head baker"' in html  # my input kept
    job_a.refresh_from_db()
    assert job_a.job_title == "Pastry cook"
    # Saving again (the form now carries the current version) is a deliberate overwrite.
    again = web.post(url, response.context["form"].data)
    assert again.status_code == 302
    job_a.refresh_from_db()
    assert job_a.job_title == "Head baker"


def test_job_end_saves_and_prompts_for_the_career_profile(web, job_a, today):
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a))
    job_a.refresh_from_db()
    assert job_a.end_date == today and job_a.end_type == "quit"
    assert job_a.lessons_learned == "Prefers afternoon hours"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(job_a.pk)).exists()
    texts = messages_of(response)
    assert any("Update the career profile" in t for t in texts)


def test_job_end_before_start_keeps_the_input_and_shows_the_error_by_the_end_date(web, job_a):
    before = (job_a.start_date - DAY).isoformat()
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a, end_date=before))
    assert response.status_code == 200
    assert any("cannot end before it started" in e for e in field_errors(response, "end_date"))
    html = response.content.decode()
    assert f'value="{before}"' in html
    assert "Prefers afternoon hours" in html
    job_a.refresh_from_db()
    assert job_a.end_date is None and job_a.end_type == ""


@pytest.mark.parametrize(
    "overrides,field",
    [({"end_date": "FUTURE"}, "end_date"), ({"end_date": ""}, "end_date"), ({"end_type": ""}, "end_type")],
)
def test_invalid_job_end(web, job_a, today, overrides, field):
    overrides = resolve(overrides, FUTURE=(today + DAY).isoformat())
    response = web.post(reverse("jobs:job_end", args=[job_a.pk]), end_data(job_a, **overrides))
    assert response.status_code == 200
    assert field_errors(response, field)
    assert "Found the early shifts too hard" in response.content.decode()
    job_a.refresh_from_db()
    assert job_a.end_date is None


def test_job_end_conflict(web, job_a):
    url = reverse("jobs:job_end", args=[job_a.pk])
    stale = end_data(job_a)
    JobStart.objects.get(pk=job_a.pk).save()  # someone else saves meanwhile
    response = web.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    job_a.refresh_from_db()
    assert job_a.end_date is None
