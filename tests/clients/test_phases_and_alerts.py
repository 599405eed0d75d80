"""Phases and alerts of clients (caseload/selectors.py), each at its threshold, with controlled dates."""

import datetime

import pytest
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from caseload import selectors
from caseload.selectors import AlertCode, Phase
from clients.models import Client, ContactWith
from programs.models import Role

from .. import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def status(client):
    return selectors.client_status(Client.objects.all(), as_of=TODAY, pk=client.pk)


def alerts(client):
    return status(client).alert_codes


@pytest.fixture
def enrolled(program_a, specialist_a):
    """A client enrolled 10 days ago, contacted today: no alerts, engaging."""
    client = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(client=client, enrollment_date=days_ago(10), specialist=specialist_a)
    contact(client, 0)
    return client


def contact(client, n_days_ago, with_whom=ContactWith.CLIENT):
    return f.ContactFactory(client=client, contact_date=days_ago(n_days_ago), with_whom=with_whom)


def job(client, start_ago, end_ago=None, **kwargs):
    return f.JobStartFactory(
        client=client,
        start_date=days_ago(start_ago),
        end_date=days_ago(end_ago) if end_ago is not None else None,
        end_type="quit" if end_ago is not None else "",
        **kwargs,
    )


def fresh_profile(client, on=TODAY):
    profile = f.CareerProfileFactory(client=client)
    stamp = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    type(profile).objects.filter(pk=profile.pk).update(updated_at=stamp)
    return profile


def benefits(client, n_days_ago):
    return f.BenefitsCounselingSessionFactory(client=client, session_date=days_ago(n_days_ago))


# --- Phases ----------------------------------------------------------------------------------------


def test_a_new_client_is_engaging(enrolled):
    row = status(enrolled)
    assert row.phase == Phase.ENGAGING
    assert row.alerts == []


def test_a_face_to_face_employer_contact_or_a_plan_with_steps_makes_job_seeking(enrolled, program_a):
    f.EmployerContactFactory(
        employer__program=program_a, contact_date=days_ago(2), face_to_face=False, clients=[enrolled]
    )
    assert status(enrolled).phase == Phase.ENGAGING  # by phone: not yet
    f.EmployerContactFactory(employer__program=program_a, contact_date=days_ago(1), clients=[enrolled])
    assert status(enrolled).phase == Phase.JOB_SEEKING

    other = f.EnrollmentFactory(client__program=program_a, enrollment_date=days_ago(5)).client
    plan = f.EmploymentPlanFactory(client=other)
    assert status(other).phase == Phase.ENGAGING  # a plan without steps
    f.PlanStepFactory(plan=plan)
    assert status(other).phase == Phase.JOB_SEEKING


def test_working_then_follow_along_at_the_weekly_window(enrolled):
    weeks = BenchmarkSettings.current().follow_along_weekly_weeks
    j = job(enrolled, weeks * 7)
    assert status(enrolled).phase == Phase.WORKING  # held exactly the window
    j.start_date = days_ago(weeks * 7 + 1)
    j.save()
    assert status(enrolled).phase == Phase.FOLLOW_ALONG
    settings = BenchmarkSettings.current()
    settings.follow_along_weekly_weeks = weeks + 1
    settings.save()
    assert status(enrolled).phase == Phase.WORKING  # configurable, not a literal


def test_an_ended_job_is_not_current_and_closed_clients_have_no_alerts(enrolled):
    job(enrolled, 100, 50)
    assert status(enrolled).phase == Phase.ENGAGING
    enrolled.enrollments.update(closure_date=days_ago(1), closure_reason="moved")
    row = status(enrolled)
    assert row.phase == Phase.CLOSED
    assert row.alerts == []


# --- Alerts ----------------------------------------------------------------------------------------


def test_no_contact_alert_at_the_threshold(enrolled):
    days = BenchmarkSettings.current().no_contact_alert_days
    enrolled.contacts.all().delete()
    contact(enrolled, days - 1)
    assert AlertCode.NO_CONTACT not in alerts(enrolled)
    contact(enrolled, days).delete()
    enrolled.contacts.all().delete()
    contact(enrolled, days)
    assert AlertCode.NO_CONTACT in alerts(enrolled)
    # A contact with the MH team is not a contact with the client.
    contact(enrolled, 0, with_whom=ContactWith.MH_TEAM)
    assert AlertCode.NO_CONTACT in alerts(enrolled)


def test_no_contact_alert_counts_from_enrollment_when_never_contacted(program_a):
    days = BenchmarkSettings.current().no_contact_alert_days
    c = f.EnrollmentFactory(client__program=program_a, enrollment_date=days_ago(days - 1)).client
    assert AlertCode.NO_CONTACT not in alerts(c)
    c.enrollments.update(enrollment_date=days_ago(days), referral_date=days_ago(days + 3))
    assert AlertCode.NO_CONTACT in alerts(c)


def test_no_employer_contact_alert_after_the_first_contact_days(enrolled, program_a):
    days = BenchmarkSettings.current().first_employer_contact_days
    enrolled.enrollments.update(enrollment_date=days_ago(days), referral_date=days_ago(days + 5))
    assert AlertCode.NO_EMPLOYER_CONTACT not in alerts(enrolled)  # exactly 30 days: not more
    enrolled.enrollments.update(enrollment_date=days_ago(days + 1))
    assert AlertCode.NO_EMPLOYER_CONTACT in alerts(enrolled)
    # A contact before this episode does not count; one in the episode does.
    f.EmployerContactFactory(employer__program=program_a, contact_date=days_ago(days + 3), clients=[enrolled])
    assert AlertCode.NO_EMPLOYER_CONTACT in alerts(enrolled)
    f.EmployerContactFactory(employer__program=program_a, contact_date=days_ago(2), clients=[enrolled])
    assert AlertCode.NO_EMPLOYER_CONTACT not in alerts(enrolled)


def test_job_start_followup_alert_within_the_days_and_cleared_by_support_or_contact(enrolled):
    days = BenchmarkSettings.current().job_start_followup_days
    enrolled.contacts.all().delete()
    contact(enrolled, days + 1)
    benefits(enrolled, 60)
    j = job(enrolled, days)
    assert AlertCode.JOB_START_FOLLOWUP in alerts(enrolled)
    j.start_date = days_ago(days + 1)
    j.save()
    assert AlertCode.JOB_START_FOLLOWUP not in alerts(enrolled)  # older than the window
    j.start_date = days_ago(1)
    j.save()
    f.FollowAlongSupportFactory(job=j, support_date=days_ago(0))
    assert AlertCode.JOB_START_FOLLOWUP not in alerts(enrolled)
    j.supports.all().delete()
    contact(enrolled, 1)
    assert AlertCode.JOB_START_FOLLOWUP not in alerts(enrolled)


def test_job_end_alert_when_no_contact_within_the_days(enrolled):
    days = BenchmarkSettings.current().job_end_contact_days
    enrolled.contacts.all().delete()
    contact(enrolled, days + 5)
    j = job(enrolled, 9, days)
    fresh_profile(enrolled)
    assert AlertCode.JOB_END_CONTACT not in alerts(enrolled)  # still within the days
    j.end_date = days_ago(days + 1)
    j.save()
    assert AlertCode.JOB_END_CONTACT in alerts(enrolled)
    contact(enrolled, days)  # contacted on the day after the end... still inside [end, end + days]
    assert AlertCode.JOB_END_CONTACT not in alerts(enrolled)


def test_no_benefits_alert_for_a_job_started_without_a_session_before(enrolled):
    j = job(enrolled, 8)
    contact(enrolled, 1)
    assert AlertCode.NO_BENEFITS in alerts(enrolled)
    benefits(enrolled, 8)  # on the start day
    assert AlertCode.NO_BENEFITS not in alerts(enrolled)
    j.delete()
    assert AlertCode.NO_BENEFITS not in alerts(enrolled)


def test_career_profile_alert_until_updated_after_the_last_start_or_end(enrolled):
    j = job(enrolled, 8)
    assert AlertCode.PROFILE_STALE in alerts(enrolled)  # no profile at all
    profile = fresh_profile(enrolled, days_ago(9))
    assert AlertCode.PROFILE_STALE in alerts(enrolled)
    fresh_profile_date = days_ago(8)
    type(profile).objects.filter(pk=profile.pk).update(
        updated_at=timezone.make_aware(datetime.datetime.combine(fresh_profile_date, datetime.time(12)))
    )
    assert AlertCode.PROFILE_STALE not in alerts(enrolled)
    j.end_date, j.end_type = days_ago(2), "quit"
    j.save()
    assert AlertCode.PROFILE_STALE in alerts(enrolled)
    type(profile).objects.filter(pk=profile.pk).update(last_reviewed=days_ago(2))
    assert AlertCode.PROFILE_STALE not in alerts(enrolled)


def test_thresholds_come_from_the_benchmark_settings(enrolled):
    enrolled.contacts.all().delete()
    contact(enrolled, 5)
    assert AlertCode.NO_CONTACT not in alerts(enrolled)
    settings = BenchmarkSettings.current()
    settings.no_contact_alert_days = 5
    settings.save()
    assert AlertCode.NO_CONTACT in alerts(enrolled)


# --- Caseload --------------------------------------------------------------------------------------


def test_caseload_mine_program_filters_and_sorts(program_a, program_b, specialist_a):
    colleague = f.make_user(Role.SPECIALIST, program=program_a, username="colleague")
    mine = f.EnrollmentFactory(
        client__program=program_a, client__last_name="Zephyr", enrollment_date=days_ago(40), specialist=specialist_a
    ).client
    f.EnrollmentFactory(
        client__program=program_a, client__last_name="Abbot", enrollment_date=days_ago(5), specialist=colleague
    )
    f.EnrollmentFactory(client__program=program_b, client__last_name="Elsewhere")
    closed = f.EnrollmentFactory(
        client__program=program_a, specialist=specialist_a, closure_date=days_ago(1), closure_reason="moved"
    ).client

    own = selectors.caseload(specialist_a, as_of=TODAY)
    assert [r.last_name for r in own.rows] == ["Zephyr"]
    whole = selectors.caseload(specialist_a, whole_program=True, as_of=TODAY)
    assert [r.last_name for r in whole.rows] == ["Abbot", "Zephyr"]
    assert [r.pk for r in selectors.caseload(specialist_a, phase=Phase.CLOSED, as_of=TODAY).rows] == [closed.pk]
    assert [r.last_name for r in selectors.caseload(specialist_a, whole_program=True, q="zeph", as_of=TODAY).rows] == [
        "Zephyr"
    ]
    flagged = selectors.caseload(specialist_a, whole_program=True, alert=AlertCode.NO_EMPLOYER_CONTACT, as_of=TODAY)
    assert [r.pk for r in flagged.rows] == [mine.pk]
    assert flagged.alert_counts[AlertCode.NO_EMPLOYER_CONTACT] == 1
    by_alerts = selectors.caseload(specialist_a, whole_program=True, sort="alerts", as_of=TODAY)
    assert by_alerts.rows[0].pk == mine.pk
