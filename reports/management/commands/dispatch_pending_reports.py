"""Send the quarterly report requests that a broker outage left queued, and requeue (or fail) the reports
stuck running with no task (beat does both every five minutes too: `reports.dispatch_pending_reports`,
`reports.reap_stuck_reports`).

    manage.py dispatch_pending_reports            # also re-sends reports sent long ago and never started
    manage.py dispatch_pending_reports --resend   # re-send every queued report now (after a Redis restart)
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

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
        # Sent to the broker but not started: lost with a Redis restart, or just waiting for a worker. Said
        # plainly, so an operator does not read "0 pending" as "nothing is waiting".
        waiting = services.pending_reports(services.NO_WAIT).exclude(dispatched_at__isnull=True)
        oldest = waiting.order_by("dispatched_at").values_list("dispatched_at", flat=True).first()
        if oldest is not None:
            minutes = int((timezone.now() - oldest).total_seconds() // 60)
            self.stdout.write(
                f"{waiting.count()} report(s) sent to the broker and not started yet (the oldest {minutes} min ago); "
                "they are re-sent automatically after "
                f"{int(services.STALE_DISPATCH.total_seconds() // 60)} min, or now with --resend."
            )
