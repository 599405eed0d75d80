"""Dashboard pages run a bounded number of queries whatever the size of the programs.

Each page is loaded on a program of N clients (with jobs, employer contacts, open alerts) and on the
same program with 2N clients: both stay under the bound and run exactly as many queries.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client, Enrollment
from jobs.models import Employer, EmployerContact, JobStart
from programs.models import Role

from .. import factories as f
from .dashboard_data import Q1, finalized

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today")]

# Measured: dashboard 58 (two quarters of outcomes, per-specialist figures for the quarter and the
# last four weeks, eight quarters of trend, twelve months in one query, distributions, alerts,
# data-quality counts, the cohort rate's two), drill-down 10-11, regional view 34, whole-dashboard XLSX 59.
AUDIT_CHAIN = 2 if connection.vendor == "postgresql" else 1  # an audit write's extra queries: previous hash (+ PG lock)
DASHBOARD_MAX = 60
DRILLDOWN_MAX = 12 + AUDIT_CHAIN  # + one bulk insert of the clients shown (audit.AuditSubject)
REGION_MAX = 36
EXPORT_MAX = 61


def add_clients(program, specialists, employers, n, offset=0):
    """n clients with an enrollment each; two in three work; every client has an employer contact."""
    clients = Client.objects.bulk_create(
        Client(
            program=program,
            record_number=f"Q{offset + i:05d}",
            first_name=f"Bulkfirst{offset + i}",
            last_name=f"Bulklast{offset + i}",
            date_of_birth=datetime.date(1985, 1, 1),
            diagnosis_group="other",
        )
        for i in range(n)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            client=c,
            referral_date=datetime.date(2025, 6, 1),
            enrollment_date=datetime.date(2025, 6, 1) + datetime.timedelta(days=(i * 7) % 300),
            specialist=specialists[i % len(specialists)],
        )
        for i, c in enumerate(clients)
    )
    JobStart.objects.bulk_create(
        JobStart(
            client=c,
            employer=employers[i % len(employers)],
            job_title="Clerk",
            occupation_group="43",
            start_date=datetime.date(2025, 9, 1) + datetime.timedelta(days=(i * 5) % 200),
            hours_per_week=Decimal(10 + i % 30),
            hourly_wage=Decimal("16.00"),
        )
        for i, c in enumerate(clients)
        if i % 3
    )
    contacts = EmployerContact.objects.bulk_create(
        EmployerContact(
            employer=employers[i % len(employers)],
            specialist=specialists[i % len(specialists)],
            contact_date=datetime.date(2026, 1, 2) + datetime.timedelta(days=i % 88),
            face_to_face=True,
        )
        for i in range(len(clients))
    )
    through = EmployerContact.clients.through
    through.objects.bulk_create(
        through(employercontact_id=contact.pk, client_id=client.pk)
        for contact, client in zip(contacts, clients, strict=True)
    )


@pytest.fixture
def big(program_a, supervisor_a, region):
    specialists = [f.make_user(Role.SPECIALIST, program=program_a, username=f"bulk_s{i}") for i in range(4)]
    employers = [Employer.objects.create(program=program_a, name=f"Bulk Employer {i}") for i in range(6)]
    other = f.ProgramFactory(agency__region=region, name="Program D")
    finalized(program_a, 101, datetime.date(2026, 3, 1))
    trainer = f.make_user(Role.TRAINER, region=region, username="bulk_trainer")
    return {
        "program": program_a,
        "other": other,
        "specialists": specialists,
        "employers": employers,
        "supervisor": supervisor_a,
        "trainer": trainer,
    }


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    ("dashboard", "supervisor", lambda: reverse("reports:dashboard"), {"quarter": Q1}, DASHBOARD_MAX),
    (
        "drilldown",
        "supervisor",
        lambda: reverse("reports:drilldown"),
        {"quarter": Q1, "measure": "working"},
        DRILLDOWN_MAX,
    ),
    (
        "contacts",
        "supervisor",
        lambda: reverse("reports:drilldown"),
        {"quarter": Q1, "measure": "employer_contacts"},
        DRILLDOWN_MAX,
    ),
    (
        "first_contact",
        "supervisor",
        lambda: reverse("reports:drilldown"),
        {"quarter": Q1, "measure": "first_contact_within_target"},
        DRILLDOWN_MAX,
    ),
    (
        "export",
        "supervisor",
        lambda: reverse("reports:dashboard_export", args=["all", "xlsx"]),
        {"quarter": Q1},
        EXPORT_MAX,
    ),
    ("region", "trainer", lambda: reverse("reports:region"), {"quarter": Q1}, REGION_MAX),
    ("trainer_dashboard", "trainer", lambda: reverse("reports:dashboard"), {"quarter": Q1}, DASHBOARD_MAX),
]


@pytest.mark.parametrize("name, who, url, params, bound", PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_the_data(
    client, big, django_assert_max_num_queries, name, who, url, params, bound
):
    client.force_login(big[who])
    add_clients(big["program"], big["specialists"], big["employers"], 40)
    client.get(url(), params)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(bound):
        response = client.get(url(), params)
    assert response.status_code == 200
    small = count_queries(client, url(), params)

    add_clients(big["program"], big["specialists"], big["employers"], 40, offset=1000)
    with django_assert_max_num_queries(bound):
        client.get(url(), params)
    assert count_queries(client, url(), params) == small


def test_the_dashboard_really_shows_the_bulk_data(client, big):
    add_clients(big["program"], big["specialists"], big["employers"], 40)
    client.force_login(big["supervisor"])
    response = client.get(reverse("reports:dashboard"), {"quarter": Q1})
    cards = {c.key: c for c in response.context["cards"]}
    assert cards["active_caseload"].raw == 40
    assert 0 < cards["working"].raw < 40
    assert len(response.context["specialist_rows"]) == 4
    assert all(not c.empty for c in response.context["charts"])
