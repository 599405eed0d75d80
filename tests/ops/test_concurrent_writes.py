"""Fifty contacts logged at once, each on its own database connection: every one is saved with its audit
entry, and the audit hash chain stays whole (each entry's predecessor is read under the chain's lock, so two
writers never chain onto the same entry)."""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.services import verify_chain
from clients import services as client_services
from clients.models import Contact

from .. import factories as f

WRITES = 50


@pytest.fixture
def clients(transactional_db, program_a, specialist_a):
    start = timezone.localdate() - datetime.timedelta(days=40)
    made = []
    for _ in range(5):
        client = f.ClientFactory(program=program_a)
        f.EnrollmentFactory(client=client, enrollment_date=start, referral_date=start, specialist=specialist_a)
        made.append(client)
    return made


def test_fifty_concurrent_contact_writes_are_all_saved_and_audited(clients, specialist_a):
    def write(n):
        try:
            contact = client_services.log_contact(clients[n % len(clients)], user=specialist_a, note=f"visit {n}")
            return contact.pk
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=10) as pool:
        saved = list(pool.map(write, range(WRITES)))

    assert len(set(saved)) == WRITES
    assert Contact.objects.count() == WRITES
    assert sorted(Contact.objects.values_list("note", flat=True)) == sorted(f"visit {n}" for n in range(WRITES))
    created = AuditEvent.objects.filter(action=Action.CREATE, object_type="clients.contact")
    assert sorted(int(pk) for pk in created.values_list("object_id", flat=True)) == sorted(saved)
    assert verify_chain() == []
