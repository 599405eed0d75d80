"""Issue 14 part 4: lists, drill-downs and exports record the clients they showed, one entry per
page, and the client's "who looked at this client" page finds them."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from audit.models import Action, AppendOnlyError, AuditEvent, AuditSubject
from audit.selectors import events_about
from audit.services import record_shown, verify_chain
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def clients(program_a, program_b, specialist_a, specialist_b):
    """Two active clients of program A on specialist A's caseload, one of program B."""
    enrolled = TODAY - datetime.timedelta(days=200)  # active through the last complete quarter
    a1 = f.ClientFactory(program=program_a, first_name="Marlo", last_name="Fenwick")
    a2 = f.ClientFactory(program=program_a, first_name="Idris", last_name="Vane")
    b1 = f.ClientFactory(program=program_b, first_name="Outside", last_name="Person")
    for client, specialist in ((a1, specialist_a), (a2, specialist_a), (b1, specialist_b)):
        f.EnrollmentFactory(client=client, referral_date=enrolled, enrollment_date=enrolled, specialist=specialist)
    return a1, a2, b1


def _shown(**lookup):
    return AuditEvent.objects.filter(detail__has_key="shown", **lookup)


def test_the_caseload_records_the_clients_it_listed(client, clients, specialist_a, program_a):
    a1, a2, b1 = clients
    client.force_login(specialist_a)
    assert client.get(reverse("clients:caseload")).status_code == 200
    event = _shown().get()
    assert event.detail["clients"] == sorted([a1.pk, a2.pk])
    assert (event.action, event.object_type, event.program_id) == (Action.VIEW, "clients.client", program_a.pk)
    assert set(AuditSubject.objects.filter(event=event).values_list("client_id", "program_id")) == {
        (a1.pk, program_a.pk),
        (a2.pk, program_a.pk),
    }


def test_a_drilldown_and_its_export_record_their_clients(client, clients, supervisor_a, program_a):
    a1, a2, _b1 = clients
    client.force_login(supervisor_a)
    params = {"program": program_a.code, "measure": "active_caseload"}
    assert client.get(reverse("reports:drilldown"), params).status_code == 200
    assert client.get(reverse("reports:drilldown"), {**params, "format": "csv"}).status_code == 200
    view, export = _shown().order_by("pk")
    assert (view.action, export.action) == (Action.VIEW, Action.EXPORT)
    assert view.detail["clients"] == export.detail["clients"] == sorted([a1.pk, a2.pk])
    assert export.detail["export"] == "drilldown" and export.detail["format"] == "csv"


def test_the_clients_trail_finds_the_lists_that_showed_it(client, clients, specialist_a, supervisor_a):
    a1, _a2, b1 = clients
    client.force_login(specialist_a)
    client.get(reverse("clients:caseload"))
    client.force_login(supervisor_a)
    page = client.get(reverse("client_trail", args=[a1.pk]))
    listed = [e for e in page.context["page"] if e.detail.get("page") == "caseload"]
    assert [e.username for e in listed] == [specialist_a.username]
    csv = client.get(reverse("client_trail", args=[a1.pk]), {"format": "csv"}).content.decode()
    assert "/clients/" in csv and specialist_a.username in csv
    # Not listed (another program's client): the caseload entry is not in its trail.
    assert not events_about(b1).filter(detail__has_key="shown").exists()


def test_one_audit_entry_and_one_insert_of_subjects_per_page(clients, specialist_a):
    a1, a2, _b1 = clients
    before = AuditSubject.objects.count()
    record_shown(specialist_a, "clients.client", [a1.pk, a2.pk], clients=[(a1.pk, 1), (a2.pk, 1)])
    assert AuditEvent.objects.count() == 1 and AuditSubject.objects.count() == before + 2


def test_subjects_are_append_only(clients, specialist_a):
    a1, _a2, _b1 = clients
    record_shown(specialist_a, "clients.client", [a1.pk], clients=[(a1.pk, a1.program_id)])
    subject = AuditSubject.objects.get()
    with pytest.raises(AppendOnlyError):
        subject.save()
    with pytest.raises(AppendOnlyError):
        subject.delete()
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.update(client_id=1)
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.all().delete()


@pytest.fixture
def regional_admin(region):
    admin = f.make_user("admin", region=region, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="clients"))
    return admin


def test_the_admins_list_and_search_record_the_clients_shown(client, clients, regional_admin):
    a1, a2, _b1 = clients
    client.force_login(regional_admin)
    assert client.get("/admin/clients/client/", {"q": "Fenwick"}).status_code == 200
    event = _shown().get()
    assert (event.detail["clients"], event.detail["search"]) == ([a1.pk], "Fenwick")
    assert events_about(a1).filter(pk=event.pk).exists() and not events_about(a2).filter(pk=event.pk).exists()


def test_the_admins_autocomplete_records_the_clients_it_offered(client, clients, regional_admin):
    a1, _a2, _b1 = clients
    client.force_login(regional_admin)
    params = {"app_label": "clients", "model_name": "enrollment", "field_name": "client", "term": "Vane"}
    response = client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    event = _shown().get()
    assert event.detail["via"] == "admin_autocomplete" and len(event.detail["clients"]) == 1
    assert event.detail["clients"] != [a1.pk]


def test_verify_audit_finds_an_altered_subject_row(clients, specialist_a):
    a1, a2, _b1 = clients
    event = record_shown(specialist_a, "clients.client", [a1.pk], clients=[(a1.pk, a1.program_id)])
    assert verify_chain() == []
    # Behind Django's back (as a database user could): one more client pinned on the entry.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditsubject (event_id, client_id, program_id) VALUES (%s, %s, NULL)",
            [event.pk, a2.pk],
        )
    assert [b.event_id for b in verify_chain()] == [event.pk]
