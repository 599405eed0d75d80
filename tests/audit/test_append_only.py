"""Issue 14 part 4: audit entries cannot be rewritten, and a rewrite behind Django's back is found."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit.chain import entry_hash
from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import record, verify_chain
from tests import factories as f

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


def test_the_orm_refuses_to_change_or_delete_an_entry(trail):
    event = trail[2]
    event.path = "/rewritten/"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(path="/rewritten/")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).path == ""
    assert AuditEvent.objects.count() == 5


def test_each_entry_carries_the_previous_hash(trail):
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert verify_chain() == []
    call_command("verify_audit")  # exit 0


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's trigger refuses the rewrite itself")
def test_verify_audit_finds_an_altered_entry(trail):
    _raw("UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["999", trail[2].pk])
    assert [b.event_id for b in verify_chain()] == [trail[2].pk]
    with pytest.raises(CommandError):
        call_command("verify_audit")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's trigger refuses the rewrite itself")
def test_verify_audit_finds_a_removed_entry(trail):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk])
    assert [b.event_id for b in verify_chain()] == [trail[2].pk]
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's trigger refuses the rewrite itself")
def test_a_recomputed_hash_still_breaks_the_next_link(trail):
    """Rewriting an entry and its own hash is not enough: the next entry holds the old hash."""
    event = AuditEvent.objects.get(pk=trail[2].pk)
    event.detail = {"n": 99}
    _raw(
        "UPDATE audit_auditevent SET detail = %s, hash = %s WHERE id = %s",
        ['{"n": 99}', entry_hash(event.prev_hash, event.hashed_values()), event.pk],
    )
    assert [b.event_id for b in verify_chain()] == [trail[3].pk]


def test_deleting_a_user_keeps_their_entries_and_the_chain(trail):
    user = trail[0].user
    user.delete()
    assert AuditEvent.objects.filter(username="auditor", user=None).count() == 5
    assert verify_chain() == []


@on_postgresql
def test_postgresql_refuses_update_and_delete(trail):
    for sql in ("UPDATE audit_auditevent SET path = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            _raw(sql, [trail[1].pk])
    assert AuditEvent.objects.count() == 5 and verify_chain() == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    user = f.UserFactory()

    def write():
        for _ in range(10):
            record(None, Action.VIEW, user, user=user)
        connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 40
    assert verify_chain() == []


def test_the_admin_shows_entries_read_only(client, trail):
    superuser = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = f"/admin/audit/auditevent/{trail[0].pk}/"
    page = client.get(url + "change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=trail[0].pk).exists()
