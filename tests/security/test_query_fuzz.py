"""No route answers 500 to hostile query parameters: NUL bytes, integers past 64 bits, junk.

Every route of the resolver (the admin aside) is requested by a supervisor and a global administrator,
with its arguments pointing at real records and every parameter a page reads set to each hostile value."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .. import factories as f

pytestmark = pytest.mark.django_db

PK = 5151
HUGE = "99999999999999999999"
VALUES = ["a%00b", HUGE, "-" + HUGE, "1e400", "%FF%FE"]  # with every parameter at once
# Every name a view, form or filter of the site reads from the query string.
PARAMS = [
    "q",
    "page",
    "tpage",
    "program",
    "client",
    "employer",
    "quarter",
    "type",
    "status",
    "specialist",
    "region",
    "sort",
    "part",
    "bin",
    "measure",
    "hint",
    "format",
    "employer_name",
    "name",
    "scope",
    "phase",
    "alert",
    "denominator",
    "kind",
    "versions",
    "target",
    "period",
    "year",
    "from",
    "next",
]


def routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "logout" not in route:
            yield route


def fill(route, program):
    values = {"code": program.code, "hint": "caseload", "dataset": "all", "fmt": "csv"}
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values.get(m.group(2), str(PK)), route)


@pytest.fixture
def records(program_a, specialist_a, trainer):
    client = f.ClientFactory(pk=PK, program=program_a)
    f.EnrollmentFactory(pk=PK, client=client, specialist=specialist_a)
    f.EmploymentPlanFactory(pk=PK, client=client)
    employer = f.EmployerFactory(pk=PK, program=program_a)
    job = f.JobStartFactory(pk=PK, client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    f.EmployerContactFactory(pk=PK, employer=employer, specialist=specialist_a, clients=[client])
    f.FollowAlongSupportFactory(pk=PK, job=job, support_date=datetime.date(2026, 2, 9))
    f.FidelityReviewFactory(pk=PK, program=program_a, reviewer_1=trainer)
    f.QuarterlyReportFactory(pk=PK, program=program_a, year=2026, quarter=1)
    return program_a


@pytest.mark.parametrize("persona", ["supervisor_a", "admin_user"])
def test_no_route_answers_500_to_hostile_parameters(client, records, persona, request):
    client.raise_request_exception = False
    client.force_login(request.getfixturevalue(persona))
    failures = []
    all_routes = list(routes())
    assert len(all_routes) > 50
    for route in all_routes:
        path = fill(route, records)
        for value in VALUES:
            url = f"{path}?" + "&".join(f"{name}={value}" for name in PARAMS)
            if client.get(url).status_code >= 500:
                failures.append(url.split("?")[0] + f" with {value}")
    assert failures == []


@pytest.mark.parametrize(
    "url",
    ["/clients/?q=%00", "/jobs/employers/?q=%00", "/fidelity/schedule/?program=%00", "/clients/?%00=1"],
)
def test_a_nul_byte_in_the_query_string_is_a_bad_request(client, supervisor_a, url):
    client.force_login(supervisor_a)
    assert client.get(url).status_code == 400


def test_an_oversized_timeline_page_is_clamped(client, records, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(f"/clients/{PK}/timeline/?page={HUGE}")
    assert response.status_code == 200
