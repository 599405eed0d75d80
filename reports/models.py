"""Benchmark settings (editable by administrators) and quarterly report snapshots."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from programs.models import Program, Region


def percent_field(default, help_text):
    return models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


class Denominator(models.TextChoices):
    ALL_ACTIVE = "all_active", "All active clients (US learning community)"
    OUT_OF_WORK = "out_of_work", "Clients out of work at enrollment (IPS Grow)"


class BenchmarkSettings(models.Model):
    """The one row of benchmark and alert figures. Nothing else hard-codes these numbers."""

    quarterly_rate_minimal = percent_field("31", "Quarterly employment rate: minimal benchmark (%).")
    quarterly_rate_average = percent_field("41", "Quarterly employment rate: average benchmark (%).")
    quarterly_rate_excellent = percent_field("50", "Quarterly employment rate: excellent benchmark (%).")
    cumulative_rate = percent_field("60", "Share of an enrollment cohort in a competitive job (%), the trials' ~60%.")
    cumulative_months = models.PositiveSmallIntegerField(default=18, help_text="Follow-up for the cumulative rate.")
    ips_grow_rate = percent_field("40", "IPS Grow benchmark over clients out of work at enrollment (%).")
    employment_rate_denominator = models.CharField(
        max_length=16, choices=Denominator.choices, default=Denominator.ALL_ACTIVE
    )
    quarter_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)], help_text="Month the first quarter starts."
    )
    employer_contacts_per_week = models.PositiveSmallIntegerField(
        default=6, help_text="Face-to-face employer contacts per specialist per week."
    )
    caseload_max = models.PositiveSmallIntegerField(default=20, help_text="Clients per full-time specialist.")
    first_employer_contact_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days from enrollment to the first face-to-face employer contact."
    )
    no_contact_alert_days = models.PositiveSmallIntegerField(default=14, help_text="Alert after this many days.")
    job_start_followup_days = models.PositiveSmallIntegerField(
        default=3, help_text="Follow-along contact expected within this many days of a job start."
    )
    job_end_contact_days = models.PositiveSmallIntegerField(
        default=3, help_text="Contact expected within this many days of a job end."
    )
    follow_along_weekly_weeks = models.PositiveSmallIntegerField(
        default=4, help_text="Weekly follow-along for this many weeks after a start, then monthly."
    )
    fidelity_interval_new_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months between reviews until a program reaches good fidelity."
    )
    fidelity_interval_good_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months between reviews once a program has good fidelity."
    )
    fidelity_good_total = models.PositiveSmallIntegerField(default=100, help_text="Total counted as good fidelity.")
    report_day_after_quarter = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Day of the month after a quarter ends on which quarterly reports are generated.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "benchmark settings"
        verbose_name_plural = "benchmark settings"
        constraints = [
            models.CheckConstraint(
                name="benchmarks_quarterly_bands_ordered",
                condition=Q(quarterly_rate_minimal__lte=F("quarterly_rate_average"))
                & Q(quarterly_rate_average__lte=F("quarterly_rate_excellent")),
                violation_error_message="Minimal <= average <= excellent.",
            ),
            models.CheckConstraint(
                name="benchmarks_percentages_in_range",
                condition=Q(quarterly_rate_minimal__gte=0, quarterly_rate_excellent__lte=100)
                & Q(cumulative_rate__gte=0, cumulative_rate__lte=100)
                & Q(ips_grow_rate__gte=0, ips_grow_rate__lte=100),
            ),
            models.CheckConstraint(
                name="benchmarks_quarter_start_month",
                condition=Q(quarter_start_month__gte=1, quarter_start_month__lte=12),
            ),
        ]

    def __str__(self):
        return "Benchmark settings"

    @classmethod
    def current(cls):
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


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
    `reports.tasks.dispatch_pending_reports` (beat) or `manage.py dispatch_pending_reports`.
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
