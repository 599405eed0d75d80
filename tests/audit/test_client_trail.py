"""Issue 14 part 4: "who looked at or changed this client, and when", for supervisors."""

import csv
import io

import pytest

from audit.models import Action, AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen_client(client, program_a, specialist_a):
    record = f.ClientFactory(program=program_a)
    client.force_login(specialist_a)
    assert client.get(f"/clients/{record.pk}/").status_code == 200  # spec_a looked at it
    client.logout()
    return record


def test_a_supervisor_sees_who_looked_at_the_client(client, seen_client, supervisor_a):
    client.force_login(supervisor_a)
    detail = client.get(f"/clients/{seen_client.pk}/").content.decode()
    assert f"/clients/{seen_client.pk}/access-history/" in detail  # linked from the client record
    page = client.get(f"/clients/{seen_client.pk}/access-history/")
    assert page.status_code == 200
    rows = [(e.username, e.action) for e in page.context["page"]]
    assert ("spec_a", Action.VIEW) in rows and ("super_a", Action.VIEW) in rows


def test_the_history_exports_as_csv_and_the_export_is_audited(client, seen_client, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(f"/clients/{seen_client.pk}/access-history/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When (UTC)", "User", "Action"]
    assert any(row[1] == "spec_a" and row[2] == "Viewed" for row in rows[1:])
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(seen_client.pk), user=supervisor_a, detail__export="audit_trail"
    ).exists()


def test_specialists_and_other_programs_get_a_404(client, seen_client, specialist_a, program_b):
    other_supervisor = f.make_user("supervisor", program=program_b)
    for user in (specialist_a, other_supervisor):
        client.force_login(user)
        assert client.get(f"/clients/{seen_client.pk}/access-history/").status_code == 404
        assert client.get(f"/clients/{seen_client.pk}/access-history/?format=csv").status_code == 404
    assert "access-history" not in client.get(f"/clients/{seen_client.pk}/").content.decode()
