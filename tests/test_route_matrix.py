"""Persona x route matrix, generated from the URL resolver: nobody reaches another program's records.

Every route of the feature apps is requested with its arguments pointing at real records of
program A (every record below has the same primary key, so one number fills every `<int:...>`).
Staff of another program or region must never get a page for them, and no page they can open may
show program A's client names. Insiders get most of the same pages, which proves the arguments
point at real records (a matrix of 404s for missing rows would prove nothing).
"""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from programs.models import Role

from . import factories as f

pytestmark = pytest.mark.django_db

PK = 4242
APPS = ("clients", "jobs", "fidelity", "reports", "api")
MARKER = "Zyxmatrixname"  # program A's client's name: must never appear to outsiders
PROGRAM_MARKER = "Zyxmatrixprogram"  # program A's name: nor its aggregates
RECORD_ARG = re.compile(r"<(?:int:\w+|slug:code)>")  # arguments that address a record


def feature_routes():
    """(name, route pattern) of every route in the feature apps."""
    out = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                out.append((f"{entry.namespace}:{pattern.name}", str(entry.pattern) + str(pattern.pattern)))
    return out


def build_url(route, program):
    values = {"int": str(PK), "code": program.code, "hint": "caseload", "dataset": "all", "fmt": "csv"}
    values.update({"quarter": "2026Q1", "variant": "ips"})  # the quarterly submission downloads

    def fill(match):
        converter, name = match.group(1), match.group(2)
        return values.get(name) or values.get(converter) or str(PK)

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    # Query parameters that some pages read to pick a program, client or employer.
    return f"{path}?program={program.pk}&client={PK}&employer={PK}&quarter=2026Q1"


@pytest.fixture
def program_a_records(program_a, supervisor_a, specialist_a, trainer):
    program_a.name = PROGRAM_MARKER
    program_a.save()
    client = f.ClientFactory(pk=PK, program=program_a, first_name=MARKER, last_name=MARKER)
    enrollment = f.EnrollmentFactory(pk=PK, client=client, specialist=specialist_a)
    profile = f.CareerProfileFactory(client=client)
    f.WorkHistoryEntryFactory(pk=PK, profile=profile)
    plan = f.EmploymentPlanFactory(pk=PK, client=client)
    f.PlanStepFactory(pk=PK, plan=plan)
    f.BenefitsCounselingSessionFactory(pk=PK, client=client)
    employer = f.EmployerFactory(pk=PK, program=program_a, name=f"{MARKER} Bakery")
    job = f.JobStartFactory(pk=PK, client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    f.EmployerContactFactory(pk=PK, employer=employer, specialist=specialist_a, clients=[client])
    f.FollowAlongSupportFactory(pk=PK, job=job, support_date=datetime.date(2026, 2, 9))
    second = f.make_user(Role.TRAINER, region=program_a.agency.region)
    review = f.FidelityReviewFactory(pk=PK, program=program_a, reviewer_1=trainer, reviewer_2=second)
    f.ActionPlanItemFactory(pk=PK, review=review)
    f.QuarterlyReportFactory(pk=PK, program=program_a, year=2026, quarter=1)
    return enrollment


@pytest.fixture
def outsiders(program_b):
    region_b = program_b.agency.region
    return [
        f.make_user(Role.SPECIALIST, program=program_b, username="out_spec"),
        f.make_user(Role.SUPERVISOR, program=program_b, username="out_super"),
        f.make_user(Role.TRAINER, region=region_b, username="out_trainer"),
        f.make_user(Role.ADMIN, region=region_b, username="out_admin"),
    ]


def test_the_matrix_covers_every_feature_app():
    names = {name.split(":")[0] for name, _ in feature_routes()}
    assert names == set(APPS)
    assert len(feature_routes()) >= 50


def test_no_route_shows_another_programs_records(client, program_a, program_a_records, outsiders):
    leaks = []
    for user in outsiders:
        client.force_login(user)
        for name, route in feature_routes():
            response = client.get(build_url(route, program_a))
            addresses_a_record = bool(RECORD_ARG.search(route))
            body = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
            if (addresses_a_record and response.status_code == 200) or MARKER in body or PROGRAM_MARKER in body:
                leaks.append((user.username, name, response.status_code))
            assert response.status_code != 500, (user.username, name)
    assert leaks == []


def test_insiders_reach_the_same_routes(client, program_a, program_a_records, supervisor_a, specialist_a, trainer):
    """The control: the ids above are real, so program A's own staff get pages where outsiders got 404."""
    reached = set()
    routes = [(name, route) for name, route in feature_routes() if RECORD_ARG.search(route)]
    for user in (supervisor_a, specialist_a, trainer):
        client.force_login(user)
        for name, route in routes:
            if client.get(build_url(route, program_a)).status_code == 200:
                reached.add(name)
    for expected in ["clients:client_detail", "jobs:job_edit", "jobs:employer_detail", "fidelity:review"]:
        assert expected in reached
    assert len(reached) >= len(routes) * 0.6, sorted({n for n, _ in routes} - reached)


def test_anonymous_users_are_sent_to_log_in(client, program_a, program_a_records):
    for name, route in feature_routes():
        response = client.get(build_url(route, program_a))
        if name.startswith("api:") and response.status_code != 302:
            assert response.status_code == 401, name  # the API answers 401 (Bearer), not a login page
            continue
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response.url.startswith("/login/"), name
