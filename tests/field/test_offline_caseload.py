"""The caseload list the phone keeps for logging offline (caseload/offline.py): the specialist's own open
caseload as ids and display names, nothing else about a client, never cached, audited like a list page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent

from .. import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("clients:offline_caseload")


def test_only_ids_and_display_names_of_the_own_open_caseload(
    signed_in, field_client, field_program, field_employer, field_specialist
):
    teammates = f.ClientFactory(program=field_program, last_name="Teammate")
    f.EnrollmentFactory(client=teammates)  # another specialist's client of the same program
    outside = f.ClientFactory(last_name="Outside")
    f.EnrollmentFactory(client=outside)
    closed = f.ClientFactory(program=field_program, last_name="Closed")
    f.EnrollmentFactory(client=closed, specialist=field_specialist)
    closed.enrollments.update(closure_reason="moved", closure_date=timezone.localdate())  # theirs, but closed
    response = signed_in.get(URL)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["clients"] == [{"id": field_client.pk, "name": "Avery Brookfield"}]
    assert data["employers"] == ["Harbor Grill"]
    assert data["urls"]["contact"] == "/clients/{id}/contacts/new/"
    assert {"with_whom", "mode", "place", "purpose"} <= set(data["choices"])
    # Nothing else about the client: no record number, date of birth, phone or diagnosis anywhere.
    body = response.content.decode()
    for private in (field_client.record_number, str(field_client.date_of_birth), field_client.diagnosis_group):
        assert private not in body
    event = AuditEvent.objects.filter(action=Action.VIEW, detail__page="offline caseload").get()
    assert event.detail["page"] == "offline caseload"


def test_signed_out_it_is_refused(client, field_client):
    assert client.get(URL).status_code == 302
    assert client.get(URL, HTTP_X_OUTBOX="1").status_code == 401  # what the phone's script sees


def test_the_service_worker_never_caches_it_nor_client_pages(client):
    script = client.get("/sw.js").content.decode()
    assert '"/static/js/offline-log.js"' in script
    assert script.count("cache.put(") == 1 and 'url.pathname.startsWith("/static/")' in script
    assert "offline-caseload" not in script


def test_the_offline_page_has_the_log_form_and_no_client_data(signed_in, field_client):
    body = signed_in.get("/offline/").content.decode()
    assert 'id="offline-log-form"' in body and "offline-log.js" in body
    assert field_client.last_name not in body
