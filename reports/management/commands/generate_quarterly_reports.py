"""Generate quarterly reports for operators.

    manage.py generate_quarterly_reports --quarter 2026Q3                 # every active program + region roll-ups
    manage.py generate_quarterly_reports --quarter 2026Q3 --program 12    # one program
    manage.py generate_quarterly_reports --quarter 2026Q3 --region 3      # one region's programs + roll-up
    manage.py generate_quarterly_reports --quarter 2026Q3 --sync          # in this process, no worker needed

Each run makes new versions (done snapshots never change). Without --sync the reports are queued
for the Celery workers (or run in process in the embedded, broker-less setup).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.errors import RuleViolation
from programs.models import Program, Region
from reports.models import QuarterlyReport, ReportStatus, ReportTrigger
from reports.quarterly import batches, closing, services


class Command(BaseCommand):
    help = "Generate quarterly report snapshots (new versions) for a quarter."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="e.g. 2026Q3 (an ended quarter)")
        parser.add_argument("--program", type=int, help="only this program (id)")
        parser.add_argument("--region", type=int, help="only this region (id): its programs and roll-up")
        parser.add_argument("--sync", action="store_true", help="generate in this process instead of queuing")

    def handle(self, *args, quarter, program=None, region=None, sync=False, **options):
        try:
            period = services.parse_quarter(quarter)
            services.require_data(period)
        except RuleViolation as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if region is not None and not Region.objects.filter(pk=region).exists():
            raise CommandError(f"No region with id {region}.")
        with transaction.atomic():
            if program is not None:
                target = Program.objects.filter(pk=program).select_related("agency").first()
                if target is None:
                    raise CommandError(f"No program with id {program}.")
                if region is not None and target.agency.region_id != region:
                    raise CommandError(f"Program {program} is not in region {region}: give one or the other.")
                report, _ = services.request_program_report(target, period, trigger=ReportTrigger.OPERATOR)
                ids = [report.pk]
            else:
                regions = Region.objects.all()
                if region is not None:
                    regions = regions.filter(pk=region)
                rollups = closing.close_quarter(period, force=True, trigger=ReportTrigger.OPERATOR, regions=regions)
                ids = [r.pk for r in rollups]
                ids += list(QuarterlyReport.objects.filter(rollup__in=rollups).values_list("pk", flat=True))
            if sync:
                # Mark them dispatched so no worker also picks them up, then run them here.
                QuarterlyReport.objects.filter(pk__in=ids).update(dispatched_at=timezone.now())
        if sync:
            self._run_here(ids)
        self._print(ids, period)

    def _run_here(self, ids):
        reports = QuarterlyReport.objects.filter(pk__in=ids)
        # Programs first, in chunks computed together as the workers do, then the roll-ups (which need
        # their programs finished).
        programs = reports.filter(program__isnull=False).order_by("pk").values_list("pk", flat=True)
        for chunk in batches.chunks(programs, settings.REPORT_CHUNK_SIZE):
            batches.run_reports(chunk)
        for pk in reports.filter(region__isnull=False).order_by("pk").values_list("pk", flat=True):
            services.run_report(pk)

    def _print(self, ids, period):
        reports = QuarterlyReport.objects.filter(pk__in=ids).select_related("program", "region").order_by("pk")
        for report in reports:
            line = f"#{report.pk} {report.scope_name} {period.code} v{report.version}: {report.status}"
            if report.status == ReportStatus.FAILED:
                line += f" ({report.error})"
            self.stdout.write(line)
        self.stdout.write(f"{len(ids)} report(s) for {period.label}.")
