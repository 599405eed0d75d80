"""The "No benefits counseling before the job" alert (issue #13, item 6): it says what clears it, and doing
that clears it: a session recorded after the start (no backdating) or the job form's "Benefits discussed
before the start" box. The dashboard's alert counts follow the same rule."""

import pytest
from django.urls import reverse

from benchmarks.models import BenchmarkSettings
from caseload import selectors
from caseload.selectors import AlertCode
from clients.models import Client
from jobs.models import JobStart
from programs.models import Program
from reports.dashboard.supervisor import open_alerts_by_specialist

from .. import factories as f
from .support import ago, iso, today

pytestmark = pytest.mark.django_db


def benefits_alert(client):
    row = selectors.client_status(Client.objects.all(), pk=client.pk)
    return next((a for a in row.alerts if a.code == AlertCode.NO_BENEFITS), None)


def job_form(**overrides):
    data = {
        "employer": "",
        "employer_name": "Corner Bakery",
        "job_title": "Baker's assistant",
        "occupation_group": "35",
        "start_date": iso(ago(5)),
        "hours_per_week": "20",
        "hourly_wage": "16.25",
        "is_competitive": "on",
        "job_type": "permanent",
        "disclosure": "none",
    }
    data.update(overrides)
    return data


def session_form(day):
    return {
        "session_date": iso(day),
        "counselor_name": "Ada Planner",
        "counselor_type": "wipa",
        "benefits_held": ["ssi"],
        "work_incentives_discussed": ["twp"],
        "next_review_date": "",
        "notes": "",
    }


def test_the_alert_says_what_clears_it_and_a_session_after_the_start_clears_it(logged_in, own_client):
    assert logged_in.post(reverse("jobs:job_start_create", args=[own_client.pk]), job_form()).status_code == 302
    alert = benefits_alert(own_client)
    assert alert is not None
    assert "session is recorded (any date, after the start too)" in alert.detail
    assert "Benefits discussed before the start" in alert.detail
    page = logged_in.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert "after the start too" in page

    # Recorded today, five days after the start: what the alert asks, without backdating.
    response = logged_in.post(reverse("clients:benefits_create", args=[own_client.pk]), session_form(today()))
    assert response.status_code == 302
    assert benefits_alert(own_client) is None


def test_the_job_forms_benefits_discussed_box_is_stored_and_clears_the_alert(logged_in, own_client):
    url = reverse("jobs:job_start_create", args=[own_client.pk])
    response = logged_in.post(url, job_form(benefits_discussed="on"))
    assert response.status_code == 302
    assert JobStart.objects.get(client=own_client).benefits_discussed is True
    assert benefits_alert(own_client) is None


def test_only_the_latest_jobs_box_counts(own_client):
    f.JobStartFactory(client=own_client, start_date=ago(30), end_date=ago(20), end_type="quit", benefits_discussed=True)
    f.JobStartFactory(client=own_client, start_date=ago(5))
    assert benefits_alert(own_client) is not None


def test_the_dashboard_counts_the_alert_by_the_same_rule(own_client, specialist_a, program_a):
    # Every other alert of the client is satisfied, so the count hangs on the benefits rule alone.
    f.ContactFactory(client=own_client, contact_date=today())
    job = f.JobStartFactory(client=own_client, start_date=ago(5))
    f.FollowAlongSupportFactory(job=job, support_date=ago(1))
    f.CareerProfileFactory(client=own_client)
    codes = selectors.client_status(Client.objects.all(), pk=own_client.pk).alert_codes
    assert codes == {AlertCode.NO_BENEFITS}

    def count():
        programs = Program.objects.filter(pk=program_a.pk)
        return open_alerts_by_specialist(programs, today(), BenchmarkSettings.current()).get(specialist_a.pk, 0)

    assert count() == 1
    f.BenefitsCounselingSessionFactory(client=own_client, session_date=today())
    assert count() == 0
