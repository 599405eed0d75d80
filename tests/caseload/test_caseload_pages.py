"""The caseload in pages (settings.CASELOAD_PAGE_SIZE): filters, sort and search in SQL across pages, kept
in the pagination links; an accessible pagination nav; the quick log still re-renders its row."""

import re

import pytest
from django.urls import reverse

from .. import factories as f
from ..clients.support import ago, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_of_12(program_a, specialist_a, settings):
    """12 open clients (names A..L), every third one contacted today, the rest never; pages of 5."""
    settings.CASELOAD_PAGE_SIZE = 5
    clients = []
    for n, letter in enumerate("LKJIHGFEDCBA"):
        client = f.EnrollmentFactory(
            client__program=program_a,
            client__last_name=f"{letter}name",
            enrollment_date=ago(40),
            specialist=specialist_a,
        ).client
        if n % 3 == 0:
            f.ContactFactory(client=client, contact_date=today())
        clients.append(client)
    return sorted(clients, key=lambda c: c.last_name)


def names(response):
    return [r.last_name for r in response.context["data"].rows]


def test_pages_in_name_order_with_an_accessible_nav(client, supervisor_a, program_of_12):
    client.force_login(supervisor_a)
    url = reverse("clients:caseload")
    first = client.get(url, {"scope": "program"})
    assert names(first) == [c.last_name for c in program_of_12[:5]]
    html = first.content.decode()
    assert 'aria-label="Caseload pages"' in html
    assert re.search(r'class="page-link" aria-current="page"[^>]*>1<', html)
    assert "Clients 1–5 of 12" in html and first.context["data"].total == 12
    third = client.get(url, {"scope": "program", "page": 3})
    assert names(third) == [c.last_name for c in program_of_12[10:]]
    assert client.get(url, {"scope": "program", "page": "99"}).context["data"].page.number == 3  # the last page
    assert client.get(url, {"scope": "program", "page": "x"}).context["data"].page.number == 1


def test_filters_and_sort_apply_before_paging_and_stay_in_the_links(client, supervisor_a, program_of_12):
    client.force_login(supervisor_a)
    url = reverse("clients:caseload")
    # 8 clients never contacted have the no-contact alert; they come first, in name order.
    response = client.get(url, {"scope": "program", "alert": "no_contact", "sort": "last_contact"})
    data = response.context["data"]
    never = [c.last_name for n, c in enumerate(reversed(program_of_12)) if n % 3][::-1]
    assert data.matching == 8 and data.alert_counts["no_contact"] == 8 and data.total == 12
    assert names(response) == sorted(never)[:5]
    html = response.content.decode()
    assert "?scope=program&amp;alert=no_contact&amp;sort=last_contact&amp;page=2" in html
    second = client.get(url, {"scope": "program", "alert": "no_contact", "sort": "last_contact", "page": 2})
    assert names(second) == sorted(never)[5:]
    # The "most alerts" sort puts the never-contacted first, across pages.
    by_alerts = client.get(url, {"scope": "program", "sort": "alerts"})
    assert set(names(by_alerts)) <= set(never)
    searched = client.get(url, {"scope": "program", "q": "Bnam"})
    assert names(searched) == ["Bname"] and "Caseload pages" not in searched.content.decode()


def test_a_specialists_caseload_fits_one_page_and_the_quick_log_row_still_renders(
    client, specialist_a, program_of_12, settings
):
    settings.CASELOAD_PAGE_SIZE = 50
    client.force_login(specialist_a)
    response = client.get(reverse("clients:caseload"))
    assert len(response.context["data"].rows) == 12 and "Caseload pages" not in response.content.decode()
    target = program_of_12[1]
    row = client.post(
        reverse("clients:quick_contact", args=[target.pk]),
        {"from": "caseload", "minutes": "15", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200
    assert f'id="client-row-{target.pk}"' in row.content.decode() and "Contact saved" in row.content.decode()
    assert row.context["row"].days_since_contact == 0
