"""The jobs pages run a bounded number of queries on realistic data (hundreds of contacts)."""

import datetime
import random

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Enrollment
from jobs.models import Employer, EmployerContact, JobStart
from programs.models import Role

from .. import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def busy_program(program_a, specialist_a):
    """60 clients, 120 employers, 600 employer contacts over two years (half of them mine), 80 jobs."""
    rng = random.Random(4)
    today = timezone.localdate()
    colleague = f.make_user(Role.SPECIALIST, program=program_a)
    clients = Client.objects.bulk_create(
        Client(
            program=program_a,
            record_number=f"Q{n:04d}",
            first_name=f"Quinn{n}",
            last_name=f"Testwood{n}",
            date_of_birth=datetime.date(1985, 1, 1),
            diagnosis_group="depression",
        )
        for n in range(60)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            client=c, referral_date=today - 730 * DAY, enrollment_date=today - 720 * DAY, specialist=specialist_a
        )
        for c in clients
    )
    employers = [Employer(program=program_a, name=f"Synthetic Employer {n}") for n in range(120)]
    for e in employers:
        e.normalized_name = e.name.lower()
    employers = Employer.objects.bulk_create(employers)
    contacts = EmployerContact.objects.bulk_create(
        EmployerContact(
            employer=rng.choice(employers),
            specialist=specialist_a if n % 2 else colleague,
            contact_date=today - rng.randrange(0, 730) * DAY,
            face_to_face=rng.random() < 0.7,
            client_specific=n % 3 == 0,
        )
        for n in range(600)
    )
    through = EmployerContact.clients.through
    through.objects.bulk_create(
        through(employercontact=c, client=rng.choice(clients)) for c in contacts if c.client_specific
    )
    # A dozen of this week's contacts, each about two clients.
    monday = today - datetime.timedelta(days=today.weekday())
    for n in range(12):
        contact = EmployerContact.objects.create(
            employer=employers[n], specialist=specialist_a, contact_date=monday, client_specific=True
        )
        contact.clients.set(clients[2 * n : 2 * n + 2])
    JobStart.objects.bulk_create(
        JobStart(
            client=clients[n % 60],
            employer=employers[n % 5],
            job_title="Stocker",
            occupation_group="53",
            start_date=today - (400 - n) * DAY,
            hours_per_week=20,
            hourly_wage=15,
        )
        for n in range(80)
    )
    return {"clients": clients, "employers": employers}


AUDIT_CHAIN = 2 if connection.vendor == "postgresql" else 1  # an audit write's extra queries: previous hash (+ PG lock)


def test_job_development_page_queries_are_bounded(web, busy_program, django_assert_max_num_queries):
    # + the clients of the listed contacts and their audit subject rows (one query each).
    with django_assert_max_num_queries(15 + AUDIT_CHAIN):
        response = web.get(reverse("jobs:job_development"))
    assert response.status_code == 200
    assert len(response.context["contacts"]) >= 12
    assert response.context["this_week"].total >= 12


def test_employer_list_queries_are_bounded(web, busy_program, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = web.get(reverse("jobs:employer_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30
    with django_assert_max_num_queries(8):
        response = web.get(reverse("jobs:employer_list"), {"q": "employer 1"}, HTTP_HX_REQUEST="true")
    assert response.context["page"].paginator.count == 31  # 1, 10-19, 100-119


def test_employer_detail_queries_are_bounded(web, busy_program, django_assert_max_num_queries):
    employer = busy_program["employers"][0]
    with django_assert_max_num_queries(13 + AUDIT_CHAIN):
        response = web.get(reverse("jobs:employer_detail", args=[employer.pk]))
    assert response.status_code == 200
    assert response.context["summary"].jobs == 16


def test_forms_with_many_employers_and_clients_are_bounded(web, busy_program, django_assert_max_num_queries):
    client = busy_program["clients"][0]
    with django_assert_max_num_queries(10 + AUDIT_CHAIN):
        assert web.get(reverse("jobs:job_start_create", args=[client.pk])).status_code == 200
    with django_assert_max_num_queries(9 + AUDIT_CHAIN):
        assert web.get(reverse("jobs:employer_contact_create"), {"client": client.pk}).status_code == 200


def test_query_counts_do_not_grow_with_the_data(web, busy_program, specialist_a):
    """Adding 300 more contacts (this week, about clients) and 40 employers changes no count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [reverse("jobs:job_development"), reverse("jobs:employer_list")]
    employer = busy_program["employers"][1]
    urls.append(reverse("jobs:employer_detail", args=[employer.pk]))

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert web.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    today = timezone.localdate()
    extra = Employer.objects.bulk_create(
        Employer(program=employer.program, name=f"Extra {n}", normalized_name=f"extra {n}") for n in range(40)
    )
    contacts = EmployerContact.objects.bulk_create(
        EmployerContact(employer=extra[n % 40] if n % 2 else employer, specialist=specialist_a, contact_date=today)
        for n in range(300)
    )
    through = EmployerContact.clients.through
    clients = busy_program["clients"]
    through.objects.bulk_create(through(employercontact=c, client=clients[i % 60]) for i, c in enumerate(contacts))
    assert counts() == before
