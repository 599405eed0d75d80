"""Send the quarterly report requests that a broker outage left queued (beat does this every
five minutes too: `reports.dispatch_pending_reports`)."""

from django.core.management.base import BaseCommand

from reports.quarterly import services


class Command(BaseCommand):
    help = "Dispatch queued quarterly reports that the broker has not taken yet."

    def handle(self, *args, **options):
        sent, pending = services.dispatch_pending()
        self.stdout.write(f"Dispatched {sent} report(s); {pending} still pending.")
