"""Check the audit trail's hash chain: exit non-zero naming every entry removed or altered."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; non-zero exit when an entry was removed or altered."

    def handle(self, *args, **options):
        breaks = verify_chain()
        for item in breaks:
            self.stderr.write(f"audit entry {item.event_id}: {item.problem}")
        if breaks:
            raise CommandError(f"The audit trail was tampered with: {len(breaks)} problem(s).")
        self.stdout.write(f"Audit trail intact: {AuditEvent.objects.count()} entries chained.")
