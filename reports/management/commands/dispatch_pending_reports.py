"""Send the quarterly report requests that a broker outage left queued, and requeue (or fail) the reports
stuck running with no task (beat does both every five minutes too: `reports.dispatch_pending_reports`,
`reports.reap_stuck_reports`).

    manage.py dispatch_pending_reports            # also re-sends reports sent long ago and never started
    manage.py dispatch_pending_reports --resend   # re-send every queued report now (after a Redis restart)
"""

from django.core.management.base import BaseCommand

from reports.quarterly import services


class Command(BaseCommand):
    help = "Requeue stuck quarterly reports and dispatch the queued ones the broker has not taken."

    def add_arguments(self, parser):
        parser.add_argument(
            "--resend", action="store_true", help="re-send every queued report now (its message was lost)"
        )

    def handle(self, *args, resend=False, **options):
        requeued, failed = services.reap_stuck_reports()
        if requeued or failed:
            self.stdout.write(f"Stuck running: {requeued} requeued, {failed} failed.")
        sent, pending = services.dispatch_pending(stale_after=services.NO_WAIT if resend else services.STALE_DISPATCH)
        self.stdout.write(f"Dispatched {sent} report(s); {pending} still pending.")
