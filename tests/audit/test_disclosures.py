"""Issue 14 part 4: the accounting of disclosures: every export, print and PDF that left the
system, for supervisors (their program) and administrators (their scope), filterable, as CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import record, record_shown
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/audit/disclosures/"


@pytest.fixture
def exports(program_a, program_b, specialist_a, specialist_b):
    """A drill-down export naming two of program A's clients, a PDF of one program B client, and a
    page view (not a disclosure)."""
    a1 = f.ClientFactory(program=program_a)
    a2 = f.ClientFactory(program=program_a)
    b1 = f.ClientFactory(program=program_b)
    record_shown(
        specialist_a,
        "clients.client",
        [a1.pk, a2.pk],
        clients=[(a1.pk, program_a.pk), (a2.pk, program_a.pk)],
        action=Action.EXPORT,
        detail={"export": "drilldown", "format": "xlsx"},
    )
    record(None, Action.EXPORT, b1, user=specialist_b, detail={"export": "client_pdf"})
    record(None, Action.VIEW, a1, user=specialist_a)
    return a1, a2, b1


def _whats(response):
    return [row["what"] for row in response.context["rows"]]


def test_a_supervisor_sees_the_exports_of_their_program_only(client, exports, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert _whats(response) == ["drilldown · xlsx"]
    assert response.context["rows"][0]["clients"] == 2


def test_filtered_by_client_program_and_dates(client, exports, supervisor_a, program_a):
    a1, _a2, b1 = exports
    client.force_login(supervisor_a)
    assert _whats(client.get(URL, {"client": a1.pk})) == ["drilldown · xlsx"]
    assert client.get(URL, {"client": b1.pk}).status_code == 404  # another program's client
    # The export was recorded today (whatever day the suite is pinned to).
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    assert _whats(client.get(URL, {"program": program_a.code, "start": today.isoformat()})) == ["drilldown · xlsx"]
    assert _whats(client.get(URL, {"start": (today + day).isoformat()})) == []
    assert _whats(client.get(URL, {"end": (today - day).isoformat()})) == []


def test_a_regional_administrator_sees_every_program_of_the_region(client, exports, region, program_b):
    admin = f.make_user("admin", region=region)
    client.force_login(admin)
    assert _whats(client.get(URL)) == ["drilldown · xlsx"]
    everyone = f.make_user("admin")  # an administrator of every region
    client.force_login(everyone)
    assert sorted(_whats(client.get(URL))) == ["client_pdf", "drilldown · xlsx"]


def test_the_csv_lists_the_clients_and_is_itself_audited(client, exports, supervisor_a):
    a1, a2, _b1 = exports
    client.force_login(supervisor_a)
    response = client.get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When (UTC)", "User", "What"]
    assert [row[rows[0].index("Client ids")] for row in rows[1:]] == [f"{a1.pk} {a2.pk}"]
    assert not any("client_pdf" in cell for row in rows for cell in row)


def test_specialists_and_trainers_have_no_accounting(client, exports, specialist_a, trainer):
    for user in (specialist_a, trainer):
        client.force_login(user)
        assert client.get(URL).status_code == 404


def test_bad_filters_are_form_errors(client, exports, supervisor_a):
    client.force_login(supervisor_a)
    for params in ({"start": "garbage"}, {"client": "x"}, {"program": "nope"}, {"client": "9" * 30}):
        response = client.get(URL, params)
        assert response.status_code == 200 and response.context["form"].errors


def test_the_clients_trail_links_to_its_disclosures(client, exports, supervisor_a):
    a1, _a2, _b1 = exports
    client.force_login(supervisor_a)
    page = client.get(reverse("client_trail", args=[a1.pk])).content.decode()
    assert f'href="/audit/disclosures/?client={a1.pk}"' in page
