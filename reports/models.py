"""Quarterly report snapshots and quarter closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from programs.models import Program, Region


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED_STATUSES = (ReportStatus.DONE, ReportStatus.FAILED)


class ReportTrigger(models.TextChoices):
    ON_DEMAND = "on_demand", "Requested from the browser"
    QUARTER_CLOSE = "quarter_close", "Quarter close (scheduled)"
    OPERATOR = "operator", "Operator command"


class ImmutableSnapshotError(ValueError):
    """A done report snapshot was about to change: regenerate a new version instead."""


class QuarterlyReport(models.Model):
    """A snapshot of one program's or one region's outcomes for a quarter.

    Once done it never changes: regenerating creates the next version, so figures already
    sent to a state remain reproducible. `save()` refuses to change a done snapshot's content;
    only the dispatch bookkeeping (`dispatched_at`, `task_id`, `attempts`, `notified_at`) may move.

    Dispatch is an outbox: the row is written first (status queued, `dispatched_at` null) and sent
    to the broker after the transaction commits; rows the broker did not take are sent again by
    `reports.quarterly.tasks.dispatch_pending_reports` (beat) or `manage.py dispatch_pending_reports`.
    """

    BOOKKEEPING_FIELDS = frozenset({"dispatched_at", "task_id", "attempts", "notified_at", "rollup"})

    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(blank=True)
    definition_version = models.CharField(max_length=32, blank=True)
    benchmarks = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=16, choices=ReportTrigger.choices, default=ReportTrigger.ON_DEMAND)
    rollup = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="program_reports",
        help_text="The regional roll-up this program report was generated for (quarter close).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    program_path = "program"

    class Meta:
        ordering = ["-year", "-quarter", "-version"]
        constraints = [
            models.CheckConstraint(
                name="report_program_xor_region",
                condition=Q(program__isnull=False, region__isnull=True) | Q(program__isnull=True, region__isnull=False),
            ),
            models.CheckConstraint(name="report_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)),
            models.UniqueConstraint(
                fields=["program", "year", "quarter", "version"],
                condition=Q(program__isnull=False),
                name="report_unique_program_version",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "quarter", "version"],
                condition=Q(region__isnull=False),
                name="report_unique_region_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="report_outbox_idx")]

    def __str__(self):
        return f"{self.program or self.region} {self.year}Q{self.quarter} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self._refuse_changes_to_done_snapshot(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def _refuse_changes_to_done_snapshot(self, update_fields):
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None or stored.status != ReportStatus.DONE:
            return
        names = update_fields or [f.attname for f in self._meta.concrete_fields]
        for name in names:
            field = self._meta.get_field(name)
            if field.name in self.BOOKKEEPING_FIELDS or field.primary_key:
                continue
            if getattr(stored, field.attname) != getattr(self, field.attname):
                raise ImmutableSnapshotError(
                    f"Report {self.pk} is done and cannot change ({field.name}); regenerate a new version."
                )

    @property
    def period_label(self):
        return (self.data or {}).get("period", {}).get("label") or f"{self.year} Q{self.quarter}"

    @property
    def code(self):
        return f"{self.year}Q{self.quarter}"

    @property
    def is_region(self):
        return self.region_id is not None

    @property
    def is_finished(self):
        return self.status in FINISHED_STATUSES

    @property
    def scope_name(self):
        return str(self.region if self.is_region else self.program)


class QuarterClose(models.Model):
    """One quarter close of one region: the idempotency key of the scheduled close, so the daily
    check (or a redelivered task) never generates the same quarter twice."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="quarter_closes")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    rollup = models.OneToOneField(
        QuarterlyReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarter_close"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-quarter", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="quarter_close_once_per_region"),
        ]

    def __str__(self):
        return f"{self.region} {self.year}Q{self.quarter} close"
