"""Every threshold the application judges by: benchmark and alert figures, and the yearly SSA amounts.

The ground floor: every other app reads its thresholds here, and this app imports none of them.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


def percent_field(default: str, help_text: str, verbose_name: str | None = None) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


def count_field(default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(default=default, help_text=help_text)


def rate_field(default: str, help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal(default), validators=[MinValueValidator(0)], help_text=help_text
    )


# The IPS-25 items a program figure points to an anchor of (fidelity/suggestions.py): data hint -> whether a
# higher figure is better. Each hint has four cut-offs, fields `ips25_<hint>_<anchor>` for anchors 5 to 2;
# a figure past the last cut-off points to anchor 1. Higher is better: figure >= cut-off; else figure <= cut-off.
SUGGESTION_HINTS: dict[str, bool] = {
    "caseload": False,
    "rapid_job_search": False,
    "employer_contacts": True,
    "job_type_diversity": True,
    "employer_diversity": True,
    "competitive_jobs": True,
    "follow_along": True,
    "community_services": True,
}
BAND_ANCHORS = (5, 4, 3, 2)


def _suggestion_bands_ordered() -> Q:
    """Each hint's cut-offs run from anchor 5 to anchor 2 in the figure's direction."""
    condition = Q()
    for hint, higher_is_better in SUGGESTION_HINTS.items():
        for better, worse in pairwise(BAND_ANCHORS):
            lookup = "gte" if higher_is_better else "lte"
            condition &= Q(**{f"ips25_{hint}_{better}__{lookup}": F(f"ips25_{hint}_{worse}")})
    return condition


# The database's fixed ceiling for an hourly wage (jobs' check constraint); the configurable hard
# maximum below may not exceed it.
WAGE_CEILING = Decimal("1000.00")


def wage_field(default: str, help_text: str, verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(WAGE_CEILING)],
        help_text=help_text,
    )


class Denominator(models.TextChoices):
    ALL_ACTIVE = "all_active", "All active clients (US learning community)"
    OUT_OF_WORK = "out_of_work", "Clients out of work at enrollment (IPS Grow)"


class BenchmarkSettings(models.Model):
    """The one row of benchmark and alert figures. Nothing else hard-codes these numbers."""

    quarterly_rate_minimal = percent_field(
        "31", "Quarterly employment rate: minimal benchmark (%).", "Quarterly employment rate, minimal (%)"
    )
    quarterly_rate_average = percent_field(
        "41", "Quarterly employment rate: average benchmark (%).", "Quarterly employment rate, average (%)"
    )
    quarterly_rate_excellent = percent_field(
        "50", "Quarterly employment rate: excellent benchmark (%).", "Quarterly employment rate, excellent (%)"
    )
    cumulative_rate = percent_field(
        "60",
        "Share of an enrollment cohort in a competitive job (%), the trials' ~60%.",
        "Cumulative (cohort) employment rate (%)",
    )
    cumulative_months = models.PositiveSmallIntegerField(
        "Cumulative rate follow-up (months)", default=18, help_text="Follow-up for the cumulative rate."
    )
    ips_grow_rate = percent_field(
        "40", "IPS Grow benchmark over clients out of work at enrollment (%).", "IPS Grow employment rate (%)"
    )
    employment_rate_denominator = models.CharField(
        "Employment rate denominator", max_length=16, choices=Denominator.choices, default=Denominator.ALL_ACTIVE
    )
    quarter_start_month = models.PositiveSmallIntegerField(
        "Quarter start month",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month the first quarter starts.",
    )
    employer_contacts_per_week = models.PositiveSmallIntegerField(
        "Employer contacts per specialist per week",
        default=6,
        help_text="Face-to-face employer contacts per specialist per week.",
    )
    caseload_max = models.PositiveSmallIntegerField(
        "Caseload per specialist, maximum", default=20, help_text="Clients per full-time specialist."
    )
    first_employer_contact_days = models.PositiveSmallIntegerField(
        "Days to first employer contact",
        default=30,
        help_text="Days from enrollment to the first face-to-face employer contact.",
    )
    no_contact_alert_days = models.PositiveSmallIntegerField(
        "No-contact alert (days)", default=14, help_text="Alert after this many days."
    )
    job_start_followup_days = models.PositiveSmallIntegerField(
        "Follow-along after a job start (days)",
        default=3,
        help_text="Follow-along contact expected within this many days of a job start.",
    )
    job_end_contact_days = models.PositiveSmallIntegerField(
        "Contact after a job end (days)", default=3, help_text="Contact expected within this many days of a job end."
    )
    follow_along_weekly_weeks = models.PositiveSmallIntegerField(
        "Weekly follow-along (weeks)",
        default=4,
        help_text="Weekly follow-along for this many weeks after a start, then monthly.",
    )
    fidelity_interval_new_months = models.PositiveSmallIntegerField(
        "Fidelity review interval, new program (months)",
        default=6,
        help_text="Months between reviews until a program reaches good fidelity.",
    )
    fidelity_interval_good_months = models.PositiveSmallIntegerField(
        "Fidelity review interval, good fidelity (months)",
        default=12,
        help_text="Months between reviews once a program has good fidelity.",
    )
    small_numbers_min = models.PositiveSmallIntegerField(
        "Fewest clients a rate is judged on",
        default=10,
        help_text="A rate over fewer clients is flagged as not reliable instead of being compared with its benchmark.",
    )
    report_day_after_quarter = models.PositiveSmallIntegerField(
        "Quarterly report day",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Day of the month after a quarter ends on which quarterly reports are generated.",
    )
    # IPS-25 suggestion bands: the program figure that points to each anchor (defaults from the scale's anchors).
    ips25_caseload_5 = count_field(20, "Item 1, caseload size: clients per specialist at most this -> anchor 5.")
    ips25_caseload_4 = count_field(25, "Item 1: at most this -> anchor 4.")
    ips25_caseload_3 = count_field(30, "Item 1: at most this -> anchor 3.")
    ips25_caseload_2 = count_field(40, "Item 1: at most this -> anchor 2 (more: anchor 1).")
    ips25_rapid_job_search_5 = count_field(
        30, "Item 15, rapid job search: median days to first face-to-face employer contact at most this -> anchor 5."
    )
    ips25_rapid_job_search_4 = count_field(60, "Item 15: at most this -> anchor 4.")
    ips25_rapid_job_search_3 = count_field(150, "Item 15: at most this -> anchor 3.")
    ips25_rapid_job_search_2 = count_field(270, "Item 15: at most this -> anchor 2 (more: anchor 1).")
    ips25_employer_contacts_5 = rate_field(
        "6", "Item 17, employer contact: face-to-face contacts per specialist per week at least this -> anchor 5."
    )
    ips25_employer_contacts_4 = rate_field("5", "Item 17: at least this -> anchor 4.")
    ips25_employer_contacts_3 = rate_field("4", "Item 17: at least this -> anchor 3.")
    ips25_employer_contacts_2 = rate_field("2", "Item 17: at least this -> anchor 2 (fewer: anchor 1).")
    ips25_job_type_diversity_5 = percent_field("85", "Item 19, job types: % of jobs that differ at least this -> 5.")
    ips25_job_type_diversity_4 = percent_field("70", "Item 19: at least this % -> anchor 4.")
    ips25_job_type_diversity_3 = percent_field("60", "Item 19: at least this % -> anchor 3.")
    ips25_job_type_diversity_2 = percent_field("50", "Item 19: at least this % -> anchor 2 (less: anchor 1).")
    ips25_employer_diversity_5 = percent_field("85", "Item 20, employers: % of jobs with different employers -> 5.")
    ips25_employer_diversity_4 = percent_field("70", "Item 20: at least this % -> anchor 4.")
    ips25_employer_diversity_3 = percent_field("60", "Item 20: at least this % -> anchor 3.")
    ips25_employer_diversity_2 = percent_field("50", "Item 20: at least this % -> anchor 2 (less: anchor 1).")
    ips25_competitive_jobs_5 = percent_field("95", "Item 21, competitive jobs: % of starts at least this -> 5.")
    ips25_competitive_jobs_4 = percent_field("85", "Item 21: at least this % -> anchor 4.")
    ips25_competitive_jobs_3 = percent_field("75", "Item 21: at least this % -> anchor 3.")
    ips25_competitive_jobs_2 = percent_field("65", "Item 21: at least this % -> anchor 2 (less: anchor 1).")
    # Records show only the first step of the follow-along the anchors describe: these bands are a judgement.
    ips25_follow_along_5 = percent_field(
        "90", "Item 23, follow-along: % of job starts with contact within the follow-up days at least this -> 5."
    )
    ips25_follow_along_4 = percent_field("75", "Item 23: at least this % -> anchor 4.")
    ips25_follow_along_3 = percent_field("50", "Item 23: at least this % -> anchor 3.")
    ips25_follow_along_2 = percent_field("25", "Item 23: at least this % -> anchor 2 (less: anchor 1).")
    ips25_community_services_5 = percent_field("65", "Item 24, community: % of contact minutes at least this -> 5.")
    ips25_community_services_4 = percent_field("50", "Item 24: at least this % -> anchor 4.")
    ips25_community_services_3 = percent_field("40", "Item 24: at least this % -> anchor 3.")
    ips25_community_services_2 = percent_field("30", "Item 24: at least this % -> anchor 2 (less: anchor 1).")
    # Hourly wages: outside [wage_min, wage_max] a job is refused; outside the unusual band it is
    # saved only once the user confirms the figure (a typo such as 1500 for 15.00 is caught).
    wage_min = wage_field("1.00", "Lowest hourly wage accepted at all ($).", "Hourly wage: hard minimum ($)")
    wage_max = wage_field("200.00", "Highest hourly wage accepted at all ($).", "Hourly wage: hard maximum ($)")
    wage_unusual_low = wage_field(
        "7.25", "Below this hourly wage the user confirms the figure ($).", "Hourly wage: confirm below ($)"
    )
    wage_unusual_high = wage_field(
        "75.00", "Above this hourly wage the user confirms the figure ($).", "Hourly wage: confirm above ($)"
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
            models.CheckConstraint(
                name="benchmarks_wage_bounds_ordered",
                condition=Q(wage_min__gt=0, wage_max__lte=WAGE_CEILING)
                & Q(wage_min__lte=F("wage_unusual_low"))
                & Q(wage_unusual_low__lte=F("wage_unusual_high"))
                & Q(wage_unusual_high__lte=F("wage_max")),
                violation_error_message="Hourly wages: 0 < hard minimum <= confirm below <= confirm above"
                f" <= hard maximum <= {WAGE_CEILING}.",
            ),
            models.CheckConstraint(
                name="benchmarks_ips25_bands_ordered",
                condition=_suggestion_bands_ordered(),
                violation_error_message="Each IPS-25 band's cut-offs run in order from anchor 5 to anchor 2.",
            ),
        ]

    def __str__(self) -> str:
        return "Benchmark settings"

    @classmethod
    def current(cls) -> BenchmarkSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    def suggestion_bands(self, hint: str) -> list[tuple[Decimal | int, int]]:
        """[(cut-off, anchor)] for one IPS-25 data hint, anchor 5 first (see SUGGESTION_HINTS)."""
        return [(getattr(self, f"ips25_{hint}_{anchor}"), anchor) for anchor in BAND_ANCHORS]


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

    def __str__(self) -> str:
        return f"SSA thresholds {self.year}"
