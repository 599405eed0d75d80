"""The quarterly report list: filters, latest version only, paging, bounded queries, access."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Role
from reports.models import QuarterlyReport, ReportStatus, ReportTrigger
from reports.quarterly.views import PAGE_SIZE

from .. import factories as f
from ..browser import login, screenshot

LIST_URL = reverse("reports:quarterly_list")
DONE, FAILED, QUEUED, RUNNING = ReportStatus.DONE, ReportStatus.FAILED, ReportStatus.QUEUED, ReportStatus.RUNNING


def report(target, year=2026, quarter=1, version=1, status=DONE, **extra):
    """A report row as the worker leaves it (no figures needed for the list)."""
    key = "region" if target.__class__.__name__ == "Region" else "program"
    return QuarterlyReport.objects.create(
        **{key: target}, year=year, quarter=quarter, version=version, status=status, **extra
    )


def listed(response, status=200):
    """Report ids linked from the list, in page order."""
    assert response.status_code == status
    return [int(pk) for pk in re.findall(r'href="/reports/quarterly/(\d+)/"', response.text)]


def ids(*reports):
    return [r.pk for r in reports]


def next_link(response):
    match = re.search(r'rel="next" href="([^"]+)"', response.text)
    return match and match.group(1).replace("&amp;", "&")


@pytest.fixture
def program_c(region):
    """A second program of the trainer's region that supervisor_a does not supervise."""
    return f.ProgramFactory(agency__region=region, name="Program C")


@pytest.fixture
def as_user(client):
    def login_as(user):
        client.force_login(user)
        return client

    return login_as


# ----------------------------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_latest_version_only_by_default_and_all_versions_on_request(as_user, supervisor_a, program_a):
    v1 = report(program_a, version=1, status=DONE)
    v2 = report(program_a, version=2, status=FAILED)
    v3 = report(program_a, version=3, status=DONE)
    other_quarter = report(program_a, quarter=2, version=1)
    client = as_user(supervisor_a)
    assert listed(client.get(LIST_URL)) == ids(other_quarter, v3)
    assert listed(client.get(LIST_URL, {"versions": "latest"})) == ids(other_quarter, v3)
    assert listed(client.get(LIST_URL, {"versions": "all"})) == ids(other_quarter, v3, v2, v1)
    # The latest version is the newest whatever its status: a status filter does not bring v2 back.
    assert listed(client.get(LIST_URL, {"status": "failed"})) == []
    assert listed(client.get(LIST_URL, {"status": "failed", "versions": "all"})) == ids(v2)
    # Older versions stay reachable from the report's page.
    detail = client.get(reverse("reports:quarterly_detail", args=[v3.pk]))
    for older in (v1, v2):
        assert f'href="{reverse("reports:quarterly_detail", args=[older.pk])}"' in detail.text


@pytest.mark.django_db
def test_latest_version_is_per_program_or_region_and_quarter(as_user, trainer, region, program_a, program_c):
    a1, a2 = report(program_a, version=1), report(program_a, version=2)
    c1 = report(program_c, version=1)
    r1, r2 = report(region, version=1), report(region, version=2, status=RUNNING)
    client = as_user(trainer)
    latest = listed(client.get(LIST_URL))
    assert set(latest) == {a2.pk, c1.pk, r2.pk}
    assert set(listed(client.get(LIST_URL, {"versions": "all"}))) == {a1.pk, a2.pk, c1.pk, r1.pk, r2.pk}


@pytest.mark.django_db
def test_quarter_filter(as_user, supervisor_a, program_a):
    q1 = report(program_a, 2026, 1)
    q2 = report(program_a, 2026, 2)
    last_year = report(program_a, 2025, 2)
    client = as_user(supervisor_a)
    page = client.get(LIST_URL)
    assert listed(page) == ids(q2, q1, last_year)  # newest quarter first
    assert 'value="2026Q2"' in page.text and 'value="2025Q2"' in page.text
    assert listed(client.get(LIST_URL, {"quarter": "2026Q2"})) == ids(q2)
    assert listed(client.get(LIST_URL, {"quarter": "2025Q2"})) == ids(last_year)
    # A quarter without reports (or nonsense) is not a choice: nothing listed, the error shown.
    for bad in ("2024Q4", "2026Q7", "junk"):
        response = client.get(LIST_URL, {"quarter": bad})
        assert listed(response) == [] and "Select a valid choice" in response.text, bad


@pytest.mark.django_db
def test_program_filter_lists_only_that_programs_reports(as_user, trainer, region, program_a, program_c):
    a = report(program_a)
    c = report(program_c)
    rollup = report(region)
    client = as_user(trainer)
    page = client.get(LIST_URL)
    assert listed(page) == ids(rollup, a, c)  # roll-ups first, then programs by name
    assert f'<option value="{program_a.pk}">Program A</option>' in page.text
    assert f'<option value="{program_c.pk}">Program C</option>' in page.text
    assert listed(client.get(LIST_URL, {"program": program_c.pk})) == ids(c)
    assert listed(client.get(LIST_URL, {"program": program_a.pk})) == ids(a)


@pytest.mark.django_db
def test_kind_filter(as_user, trainer, region, program_a):
    a = report(program_a)
    rollup = report(region)
    client = as_user(trainer)
    assert listed(client.get(LIST_URL, {"kind": "region"})) == ids(rollup)
    assert listed(client.get(LIST_URL, {"kind": "program"})) == ids(a)
    assert listed(client.get(LIST_URL, {"kind": ""})) == ids(rollup, a)
    # A program filter with the regional kind: a roll-up has no program, so nothing.
    response = client.get(LIST_URL, {"kind": "region", "program": program_a.pk})
    assert listed(response) == [] and "No reports match these filters." in response.text


@pytest.mark.django_db
def test_status_filter(as_user, supervisor_a, program_a):
    by_status = {status: report(program_a, quarter=n, status=status) for n, status in enumerate(ReportStatus, 1)}
    assert set(by_status) == {QUEUED, RUNNING, DONE, FAILED}
    client = as_user(supervisor_a)
    for status, expected in by_status.items():
        response = client.get(LIST_URL, {"status": status})
        assert listed(response) == [expected.pk], status
        assert f"status-{status}" in response.text  # the status badge
    assert len(listed(client.get(LIST_URL))) == 4


@pytest.mark.django_db
def test_filters_combine_and_the_form_keeps_them(as_user, trainer, region, program_a, program_c):
    report(program_c, 2026, 2, version=1, status=FAILED)  # an older version: not listed by default
    wanted = report(program_c, 2026, 2, version=2, status=FAILED)
    report(program_c, 2026, 1, status=FAILED)
    report(program_a, 2026, 2, status=FAILED)
    report(region, 2026, 2, status=FAILED)
    client = as_user(trainer)
    params = {"quarter": "2026Q2", "program": program_c.pk, "kind": "program", "status": "failed"}
    response = client.get(LIST_URL, params)
    assert listed(response) == ids(wanted)
    assert '<option value="2026Q2" selected>' in response.text
    assert f'<option value="{program_c.pk}" selected>' in response.text
    assert '<option value="failed" selected>' in response.text
    assert f'href="{LIST_URL}">Clear</a>' in response.text


# ----------------------------------------------------------------------------------------------
# Paging and queries
# ----------------------------------------------------------------------------------------------
def many_reports(programs, n, user=None, first_year=2000):
    """`n` reports spread over `programs` and quarters (one version each), in one query."""
    rows = []
    for i in range(n):
        quarter_index = i // len(programs)
        rows.append(
            QuarterlyReport(
                program=programs[i % len(programs)],
                year=first_year + quarter_index // 4,
                quarter=quarter_index % 4 + 1,
                status=[DONE, FAILED, QUEUED, RUNNING][i % 4],
                trigger=ReportTrigger.ON_DEMAND,
                requested_by=user,
            )
        )
    return QuarterlyReport.objects.bulk_create(rows)


@pytest.mark.django_db
def test_paging_shows_the_rest_on_page_two_and_keeps_the_filters(as_user, trainer, program_a, program_c):
    made = many_reports([program_a, program_c], 2 * (PAGE_SIZE + 10), user=trainer)
    ours = {r.pk for r in made if r.program_id == program_c.pk}
    assert len(ours) == PAGE_SIZE + 10
    client = as_user(trainer)
    first = client.get(LIST_URL, {"program": program_c.pk, "versions": "all"})
    page_one = listed(first)
    assert len(page_one) == PAGE_SIZE and set(page_one) <= ours
    assert f"1–{PAGE_SIZE} of {PAGE_SIZE + 10} reports" in first.text
    link = next_link(first)
    assert link.startswith(LIST_URL + "?")
    assert f"program={program_c.pk}" in link and "versions=all" in link and "page=2" in link
    second = client.get(link)
    page_two = listed(second)
    assert len(page_two) == 10 and set(page_one) | set(page_two) == ours
    assert next_link(second) is None
    prev = re.search(r'rel="prev" href="([^"]+)"', second.text).group(1).replace("&amp;", "&")
    assert f"program={program_c.pk}" in prev and "page=1" in prev
    # Newest quarter first across the pages.
    quarters = {r.pk: (r.year, r.quarter) for r in made}
    order = [quarters[pk] for pk in page_one + page_two]
    assert order == sorted(order, reverse=True)
    # A page out of range shows the last page, a page that is not a number the first.
    assert listed(client.get(LIST_URL, {"program": program_c.pk, "versions": "all", "page": 99})) == page_two
    assert listed(client.get(LIST_URL, {"program": program_c.pk, "versions": "all", "page": "x"})) == page_one


@pytest.mark.django_db
def test_a_short_list_has_no_pager(as_user, supervisor_a, program_a):
    many_reports([program_a], 3)
    response = as_user(supervisor_a).get(LIST_URL)
    assert len(listed(response)) == 3 and "Report pages" not in response.text


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL, params).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{}, {"versions": "all"}, {"versions": "all", "page": 2}, {"status": "done", "kind": "program"}]
)
def test_query_count_does_not_grow_with_the_number_of_reports(
    as_user, trainer, region, django_assert_max_num_queries, params
):
    programs = [f.ProgramFactory(agency__region=region) for _ in range(6)]
    supervisors = [f.make_user(Role.SUPERVISOR, program=p) for p in programs]
    client = as_user(trainer)
    many_reports(programs, 30, user=supervisors[0])
    small = count_queries(client, params)
    many_reports(programs[:3], 60, user=supervisors[1], first_year=2010)
    many_reports(programs[3:], 30, user=supervisors[2], first_year=2020)
    for p in programs[:2]:
        report(p, 2000, 1, version=2, requested_by=supervisors[3])
    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL, params)
    assert count_queries(client, params) == small
    assert QuarterlyReport.objects.count() == 122
    if not params:
        assert "of 120 reports" in response.text  # latest versions only


# ----------------------------------------------------------------------------------------------
# Access: filters never widen it
# ----------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_program_outside_the_users_reach_lists_nothing(
    as_user, supervisor_a, trainer, region, program_a, program_b, program_c
):
    ours = report(program_a)
    theirs = report(program_b)
    neighbour = report(program_c)
    other_region = report(program_b.agency.region)
    rollup = report(region)
    client = as_user(supervisor_a)
    page = client.get(LIST_URL)
    assert listed(page) == ids(ours)
    # Only the user's programs are offered.
    assert f'<option value="{program_a.pk}">' in page.text
    assert f'<option value="{program_b.pk}">' not in page.text
    assert f'<option value="{program_c.pk}">' not in page.text
    for program in (program_b, program_c):
        response = client.get(LIST_URL, {"program": program.pk, "versions": "all"})
        assert response.status_code == 200
        assert listed(response) == [] and "Select a valid choice" in response.text
        assert program.name not in response.text.split('id="report-filters"')[1]
    # Kind "region" shows a supervisor no roll-up (not even their own region's).
    assert listed(client.get(LIST_URL, {"kind": "region", "versions": "all"})) == []
    # A trainer: their region's roll-up and programs, never another region's.
    client = as_user(trainer)
    assert listed(client.get(LIST_URL, {"versions": "all"})) == ids(rollup, ours, neighbour)
    assert listed(client.get(LIST_URL, {"program": program_b.pk})) == []
    region_only = listed(client.get(LIST_URL, {"kind": "region", "versions": "all"}))
    assert region_only == ids(rollup) and other_region.pk not in region_only and theirs.pk not in region_only


@pytest.mark.django_db
def test_people_without_reports_get_a_404_whatever_the_filters(as_user, specialist_a, program_a):
    report(program_a)
    client = as_user(specialist_a)
    assert client.get(LIST_URL, {"program": program_a.pk, "versions": "all"}).status_code == 404
    assert client.get(LIST_URL, {"kind": "program"}).status_code == 404
    outsider = f.UserFactory(username="nobody_here")
    assert as_user(outsider).get(LIST_URL, {"program": program_a.pk}).status_code == 404


@pytest.mark.django_db
def test_request_form_still_posts_and_an_invalid_request_keeps_the_list(as_user, supervisor_a, program_a):
    shown = report(program_a)
    client = as_user(supervisor_a)
    response = client.post(reverse("reports:quarterly_request"), {"target": "program:999999", "quarter": "junk"})
    assert response.status_code == 400
    assert 'action="/reports/quarterly/request/"' in response.text
    request_form = response.text.split('id="report-filters"')[0]
    assert request_form.count("Select a valid choice") == 2  # both fields, by the fields
    assert listed(response, status=400) == ids(shown)


# ----------------------------------------------------------------------------------------------
# Phone
# ----------------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_filters_and_pager_on_a_phone(live_server, phone_page):
    region = f.RegionFactory(name="Coastal Region")
    programs = [
        f.ProgramFactory(agency__region=region, name=f"Northside Community Mental Health IPS Team {n}")
        for n in range(3)
    ]
    trainer = f.make_user(Role.TRAINER, region=region, username="phone_trainer")
    many_reports(programs, 3 * (PAGE_SIZE + 5), user=trainer)
    report(region, 2000, 1)
    login(phone_page, live_server, "phone_trainer", f.PASSWORD)
    phone_page.goto(f"{live_server.url}{LIST_URL}")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.locator(".quarterly-list li").count() == PAGE_SIZE
    screenshot(phone_page, "quarterly-list-filters-phone")
    phone_page.select_option("select[name=program]", str(programs[1].pk))
    phone_page.select_option("select[name=status]", "done")
    phone_page.get_by_role("button", name="Filter").click()
    phone_page.wait_for_load_state("networkidle")
    assert f"program={programs[1].pk}" in phone_page.url and "status=done" in phone_page.url
    rows = phone_page.locator(".quarterly-list li")
    assert rows.count() > 0 and all("Team 1" in text for text in rows.all_inner_texts())
    # The pager keeps the filters.
    phone_page.goto(f"{live_server.url}{LIST_URL}?kind=program&versions=all")
    next_page = phone_page.get_by_role("link", name="Next")
    assert next_page.bounding_box()["height"] >= 44
    next_page.click()
    phone_page.wait_for_load_state("networkidle")
    assert "kind=program" in phone_page.url and "versions=all" in phone_page.url and "page=2" in phone_page.url
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "quarterly-list-page-2-phone")
