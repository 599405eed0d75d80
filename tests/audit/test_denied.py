"""Issue 14 part 4: a refused access to an existing record of another program is audited."""

import pytest
from django.contrib.auth.models import Permission

from audit.models import Action, AuditEvent
from programs.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_opening_another_programs_client_is_a_denied_event(client, program_a, specialist_b):
    record = f.ClientFactory(program=program_a)
    client.force_login(specialist_b)
    assert client.get(f"/clients/{record.pk}/").status_code == 404
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert (event.user, event.object_type, event.object_id) == (specialist_b, "clients.client", str(record.pk))
    assert event.program_id == program_a.pk and event.path == f"/clients/{record.pk}/"
    assert event.detail == {"capability": "view_clients"}


def test_a_missing_record_is_not_a_denied_event(client, specialist_b):
    client.force_login(specialist_b)
    assert client.get("/clients/987654/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.DENIED).exists()


def test_own_records_are_not_refused(client, program_a, specialist_a):
    record = f.ClientFactory(program=program_a)
    client.force_login(specialist_a)
    assert client.get(f"/clients/{record.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(action=Action.DENIED).exists()


def test_another_regions_record_in_the_admin_is_a_denied_event(client, region, program_b):
    admin = f.make_user(Role.ADMIN, region=region, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="clients"))
    record = f.ClientFactory(program=program_b)
    client.force_login(admin)
    assert client.get(f"/admin/clients/client/{record.pk}/change/").status_code == 302
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert (event.user, event.object_id, event.detail["capability"]) == (admin, str(record.pk), "administer")
