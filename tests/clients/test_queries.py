"""Bounded queries: My caseload and the client record on 60 clients with 2 years of history each,
and the same bound once the data is doubled."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload import selectors
from clients import models as cm
from jobs import models as jm

from .. import factories as f

pytestmark = pytest.mark.django_db

# Measured (SQLite and PostgreSQL): the caseload page runs 12 queries (session, user, access check,
# roles, benchmark settings, the caseload's counts query and its page of rows, specialists' names,
# programs, audit insert, nav roles) and the client record 26 (the client's status, nine timeline sources, nine section
# reads, the SSA amounts of the benefits section, audit...), whatever the number of clients or the
# length of their histories.
AUDIT_CHAIN = 2 if connection.vendor == "postgresql" else 1  # an audit write's extra queries: previous hash (+ PG lock)
CASELOAD_MAX = 13 + AUDIT_CHAIN  # + one bulk insert of the clients shown (audit.AuditSubject)
CLIENT_RECORD_MAX = 26 + AUDIT_CHAIN
TIMELINE_PAGE_MAX = 13 + AUDIT_CHAIN


def build_history(program, specialist, n_clients, *, weeks=104, offset=0):
    """`n_clients` enrolled clients, each with `weeks` of weekly contacts, two jobs (one ended), weekly
    follow-along supports, benefits sessions, a plan with steps, a career profile with work history and
    employer contacts about them. Bulk inserts only."""
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks)
    clients = cm.Client.objects.bulk_create(
        cm.Client(
            program=program,
            record_number=f"Q{offset + i:05d}",
            first_name=f"Sample{offset + i}",
            last_name=f"Person{offset + i}",
            date_of_birth=datetime.date(1985, 1, 1),
            diagnosis_group=cm.DiagnosisGroup.OTHER,
        )
        for i in range(n_clients)
    )
    cm.Enrollment.objects.bulk_create(
        cm.Enrollment(client=c, referral_date=start, enrollment_date=start, specialist=specialist) for c in clients
    )
    cm.Contact.objects.bulk_create(
        cm.Contact(
            client=c,
            staff=specialist,
            contact_date=start + datetime.timedelta(weeks=w),
            mode=cm.ContactMode.FACE_TO_FACE,
            minutes=30,
            note="Weekly meeting",
        )
        for c in clients
        for w in range(weeks)
    )
    employer = jm.Employer.objects.create(program=program, name=f"Big Employer {offset}")
    jobs = jm.JobStart.objects.bulk_create(
        [
            jm.JobStart(
                client=c,
                employer=employer,
                job_title="Clerk",
                occupation_group=jm.OccupationGroup.OFFICE,
                start_date=start + datetime.timedelta(weeks=8),
                end_date=start + datetime.timedelta(weeks=30),
                end_type=jm.JobEndType.QUIT,
                hours_per_week=Decimal("20"),
            )
            for c in clients
        ]
        + [
            jm.JobStart(
                client=c,
                employer=employer,
                job_title="Stocker",
                occupation_group=jm.OccupationGroup.TRANSPORTATION,
                start_date=start + datetime.timedelta(weeks=40),
                hours_per_week=Decimal("25"),
            )
            for c in clients
        ]
    )
    jm.FollowAlongSupport.objects.bulk_create(
        jm.FollowAlongSupport(job=j, support_date=j.start_date + datetime.timedelta(weeks=w), description="Check-in")
        for j in jobs
        for w in range(0, 20, 2)
    )
    cm.BenefitsCounselingSession.objects.bulk_create(
        cm.BenefitsCounselingSession(
            client=c, session_date=start + datetime.timedelta(weeks=w), counselor_name="Planner", benefits_held=["ssi"]
        )
        for c in clients
        for w in (2, 39, 70)
    )
    plans = cm.EmploymentPlan.objects.bulk_create(
        cm.EmploymentPlan(client=c, goal="Steady work", start_date=start) for c in clients
    )
    cm.PlanStep.objects.bulk_create(
        cm.PlanStep(plan=p, description=f"Step {n}", position=n, completed_on=start if n < 3 else None)
        for p in plans
        for n in range(6)
    )
    profiles = cm.CareerProfile.objects.bulk_create(cm.CareerProfile(client=c, work_goals="Work") for c in clients)
    cm.WorkHistoryEntry.objects.bulk_create(
        cm.WorkHistoryEntry(profile=p, employer_name="Old place", job_title=f"Job {n}")
        for p in profiles
        for n in range(3)
    )
    for w in range(0, weeks, 4):
        contact = jm.EmployerContact.objects.create(
            employer=employer, specialist=specialist, contact_date=start + datetime.timedelta(weeks=w)
        )
        contact.clients.set(clients[: min(len(clients), 10)])
    return clients


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.fixture
def busy_program(program_a, specialist_a):
    clients = build_history(program_a, specialist_a, 60)
    return clients


def test_caseload_of_60_clients_with_two_years_runs_a_fixed_number_of_queries(
    client, specialist_a, program_a, busy_program, django_assert_max_num_queries
):
    client.force_login(specialist_a)
    url = reverse("clients:caseload")
    with django_assert_max_num_queries(CASELOAD_MAX):
        response = client.get(url)
    assert len(response.context["data"].rows) == 60
    first, _ = count_queries(client, url)
    whole, _ = count_queries(client, url + "?scope=program&sort=alerts")
    # Double the data: twice the clients, twice the history.
    build_history(program_a, specialist_a, 60, weeks=208, offset=1000)
    second, response = count_queries(client, url)
    assert len(response.context["data"].rows) == 120
    assert second == first <= CASELOAD_MAX
    assert count_queries(client, url + "?scope=program&sort=alerts")[0] == whole <= CASELOAD_MAX


def test_client_record_with_two_years_of_history_runs_a_fixed_number_of_queries(
    client, specialist_a, program_a, busy_program, django_assert_max_num_queries
):
    client.force_login(specialist_a)
    target = busy_program[0]
    url = reverse("clients:client_detail", args=[target.pk])
    with django_assert_max_num_queries(CLIENT_RECORD_MAX):
        response = client.get(url)
    assert len(response.context["timeline"]) == selectors.TIMELINE_PAGE and response.context["has_more"]
    first, _ = count_queries(client, url)
    # Double this client's history.
    more = cm.Contact.objects.filter(client=target).values_list("contact_date", flat=True)
    cm.Contact.objects.bulk_create(
        cm.Contact(client=target, contact_date=d - datetime.timedelta(days=3), mode=cm.ContactMode.PHONE) for d in more
    )
    jobs = list(jm.JobStart.objects.filter(client=target))
    jm.FollowAlongSupport.objects.bulk_create(
        jm.FollowAlongSupport(job=j, support_date=j.start_date, description="More") for j in jobs for _ in range(10)
    )
    f.BenefitsCounselingSessionFactory.create_batch(3, client=target)
    second, _ = count_queries(client, url)
    assert second == first <= CLIENT_RECORD_MAX
    page3, response = count_queries(client, reverse("clients:client_timeline", args=[target.pk]) + "?page=3")
    assert len(response.context["timeline"]) == selectors.TIMELINE_PAGE
    assert page3 <= TIMELINE_PAGE_MAX
