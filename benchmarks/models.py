"""Every threshold the application judges by: benchmark and alert figures, and the yearly SSA amounts.

The ground floor: every other app reads its thresholds here, and this app imports none of them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


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
        db_table = "reports_benchmarksettings"  # the table predates the benchmarks app
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


class BenefitsThresholds(models.Model):
    """SSA figures change every year: a dated table, not constants."""

    year = models.PositiveSmallIntegerField(unique=True)
    sga_monthly_non_blind = models.DecimalField(max_digits=8, decimal_places=2)
    sga_monthly_blind = models.DecimalField(max_digits=8, decimal_places=2)
    trial_work_month = models.DecimalField(max_digits=8, decimal_places=2)
    ssi_federal_benefit_rate = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        db_table = "clients_benefitsthresholds"  # the table predates the benchmarks app
        ordering = ["-year"]
        verbose_name_plural = "benefits thresholds"

    def __str__(self):
        return f"SSA thresholds {self.year}"
