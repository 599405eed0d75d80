"""The measure catalogue: what every figure is called, what it means and what it is judged against.

Dashboards, quarterly reports, exports and the API read their labels, definitions, drill-downs and
benchmarks from here; `outcomes.metrics` computes the values under the same keys (the fields of
`metrics.Outcomes`, plus the record lists behind them). Definitions use the wording of the IPS
reference (section 3), said of "the period" because the same figures are shown for quarters, months
and custom ranges; where the application counts more narrowly (competitive jobs only, clients whose
first-contact window has passed), the definition says so. tests/outcomes/test_measures.py checks
that every figure has an entry here and every entry a figure or a list of records.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    WEEKS = "weeks"
    PER_WEEK = "per_week"
    PER_SPECIALIST = "per_specialist"
    MONEY = "money"


class Records(StrEnum):
    """Which records a drill-down lists (one list template each)."""

    CLIENTS = "clients"
    JOBS = "jobs"
    ENROLLMENTS = "enrollments"
    CONTACTS = "contacts"
    CLIENT_CONTACTS = "client_contacts"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    short_label: str
    definition: str
    unit: Unit = Unit.COUNT
    # The records behind the number, or None where it has no list of its own.
    drilldown: Records | None = None
    # The BenchmarkSettings fields it is judged against (lowest band first), if any.
    benchmark: tuple[str, ...] = ()


QUARTERLY_BANDS = ("quarterly_rate_minimal", "quarterly_rate_average", "quarterly_rate_excellent")

CATALOGUE: tuple[Measure, ...] = (
    Measure(
        "active_caseload",
        "Active caseload",
        "Caseload",
        "Clients enrolled on any day of the period (enrolled on or before the last day and not closed before the "
        "first day).",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "working",
        "Working",
        "Working",
        "Active clients who held a competitive job on at least one day of the period.",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "employment_rate",
        "Quarterly employment rate",
        "Rate %",
        "Working / active caseload, compared with the minimal, average and excellent benchmarks (31, 41 and 50% "
        "by default). Over the clients out of work at enrollment (as England's IPS Grow counts it), the rate is "
        "compared with IPS Grow's own benchmark (40% by default).",
        Unit.PERCENT,
        benchmark=QUARTERLY_BANDS,
    ),
    Measure(
        "rate_numerator",
        "Employment rate: working clients",
        "Rate: working",
        "The working clients the employment rate counts (with the chosen denominator).",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "rate_denominator",
        "Employment rate denominator",
        "Rate: over",
        "The clients the employment rate is counted over.",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "cumulative_rate",
        "Cohort employment rate",
        "Cohort rate %",
        "Share of an enrollment cohort (the clients enrolled in one quarter) that started a competitive job within "
        "18 months of enrolling (the follow-up is configurable), compared with the ~60% of the randomized trials, "
        "not with a single quarter's rate.",
        Unit.PERCENT,
        benchmark=("cumulative_rate",),
    ),
    Measure(
        "job_starts",
        "Job starts",
        "Job starts",
        "All job starts dated in the period (competitive jobs, as in every employment figure).",
        drilldown=Records.JOBS,
    ),
    Measure(
        "first_job_starts",
        "First job starts",
        "First starts",
        "Clients whose first-ever (competitive) job in the current enrollment started in the period (each "
        "client once, even with a first job in two episodes).",
        drilldown=Records.JOBS,
    ),
    Measure(
        "jobs_held",
        "Competitive jobs held",
        "Jobs held",
        "Competitive jobs held on at least one day of the period.",
        drilldown=Records.JOBS,
    ),
    Measure(
        "new_enrollments",
        "New enrollments",
        "New",
        "Enrollments with an enrollment date in the period (a re-enrolled client counts again).",
        drilldown=Records.ENROLLMENTS,
    ),
    Measure(
        "closures",
        "Closures",
        "Closures",
        "Enrollments with a closure date in the period.",
        drilldown=Records.ENROLLMENTS,
    ),
    Measure(
        "in_education",
        "In education",
        "In education",
        "Active clients in education (school or training) on at least one day of the period.",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "first_contact",
        "Days to first employer contact",
        "Days to 1st contact",
        "New clients of the period and the days from enrollment to the first face-to-face employer contact made "
        "for the client (by the client or the specialist).",
        Unit.DAYS,
        drilldown=Records.ENROLLMENTS,
        benchmark=("first_employer_contact_days",),
    ),
    Measure(
        "first_contact_days_median",
        "Median days to first employer contact",
        "Median days to 1st contact",
        "Days to first employer contact: from enrollment to the first face-to-face employer contact made for the "
        "client (by the client or the specialist); the median over the period's new clients, a client not yet "
        "contacted once their 30 days (configurable) have passed counting as more than 30 days; shown as "
        '"> 30" when the median falls among them (or above 30 days with such clients).',
        Unit.DAYS,
        drilldown=Records.ENROLLMENTS,
        benchmark=("first_employer_contact_days",),
    ),
    Measure(
        "first_contact_within_target",
        "New clients with employer contact within target",
        "1st contact in target %",
        "Share of the period's new clients whose first face-to-face employer contact came within 30 days of "
        "enrollment (configurable); a client not yet contacted counts once their 30 days have passed.",
        Unit.PERCENT,
        drilldown=Records.ENROLLMENTS,
        benchmark=("first_employer_contact_days",),
    ),
    Measure(
        "employer_contacts",
        "Face-to-face employer contacts",
        "Employer contacts",
        "Face-to-face employer contacts made in the period by the programs' employment specialists.",
        drilldown=Records.CONTACTS,
    ),
    Measure(
        "employer_contacts_per_specialist_week",
        "Employer contacts per specialist per week",
        "Employer contacts / week",
        "Face-to-face employer contacts of the period per specialist per week, against the target of 6 "
        "(configurable). A period still running counts the full weeks elapsed by the as-of day (7 days each) and "
        "the contacts of those weeks; an ended period, all its days / 7.",
        Unit.PER_WEEK,
        drilldown=Records.CONTACTS,
        benchmark=("employer_contacts_per_week",),
    ),
    Measure(
        "specialist_count",
        "Specialists",
        "Specialists",
        "Active employment specialists of the programs (or the specialists chosen).",
    ),
    Measure(
        "caseload_at_end",
        "Caseload on the last day",
        "Open on last day",
        "Clients whose enrollment was open on the last day of the period.",
        drilldown=Records.CLIENTS,
    ),
    Measure(
        "caseload_per_specialist",
        "Caseload per specialist",
        "Caseload / specialist",
        "Caseload size per specialist: clients whose enrollment was open on the last day of the period, per "
        "specialist, against the maximum of 20 per full-time specialist (configurable).",
        Unit.PER_SPECIALIST,
        benchmark=("caseload_max",),
    ),
    Measure(
        "tenure_weeks_median",
        "Median job tenure (weeks)",
        "Median tenure",
        "Job tenure as of the period's last day (the as-of day while the period runs): weeks from start to the "
        "end date, or to that day for a job still held or ended later; the median over the competitive jobs "
        "held in the period.",
        Unit.WEEKS,
        drilldown=Records.JOBS,
    ),
    Measure(
        "tenure",
        "Job tenure",
        "Tenure",
        "Competitive jobs held in the period, by weeks from start to end, as of the period's last day (the as-of "
        "day while it runs): a job still held, or ended later, is measured to that day.",
        Unit.WEEKS,
        drilldown=Records.JOBS,
    ),
    Measure(
        "hours_20_plus",
        "Jobs with 20+ hours a week",
        "20+ hours %",
        "Hours per week: share of the competitive jobs held in the period with 20 or more hours a week (jobs "
        "with no hours recorded are left out).",
        Unit.PERCENT,
        drilldown=Records.JOBS,
    ),
    Measure(
        "hours",
        "Hours per week",
        "Hours",
        "Competitive jobs held in the period, by hours a week.",
        drilldown=Records.JOBS,
    ),
    Measure(
        "hourly_wage_median",
        "Median hourly wage",
        "Median wage",
        "Wages: median hourly wage of the competitive jobs held in the period that have a wage recorded.",
        Unit.MONEY,
        drilldown=Records.JOBS,
    ),
    Measure(
        "missing_enrollment_date",
        "Enrollments without an enrollment date",
        "No enrollment date",
        "Referrals of the period with no enrollment date: not in the caseload or any rate until the date is "
        "recorded (pending referrals are listed too).",
        drilldown=Records.ENROLLMENTS,
    ),
    Measure(
        "jobs_missing_fields",
        "Jobs without hours or occupation group",
        "Jobs missing fields",
        "Jobs held in the period with no hours a week or no occupation group: left out of the hours figures "
        "and of job-type diversity.",
        drilldown=Records.JOBS,
    ),
    Measure(
        "contacts_missing_mode",
        "Contacts without a mode",
        "No contact mode",
        "Client contacts of the period with no mode recorded.",
        drilldown=Records.CLIENT_CONTACTS,
    ),
)

MEASURES: dict[str, Measure] = {m.key: m for m in CATALOGUE}


def measure(key: str) -> Measure:
    """The catalogue entry for `key` (KeyError for an unknown key: callers validate user input first)."""
    return MEASURES[key]


def measures(*keys: str) -> list[Measure]:
    return [MEASURES[k] for k in keys]


# The figures of a quarterly report's full table, in order.
QUARTERLY_REPORT = measures(
    "active_caseload",
    "working",
    "employment_rate",
    "job_starts",
    "first_job_starts",
    "new_enrollments",
    "closures",
    "in_education",
    "first_contact_days_median",
    "first_contact_within_target",
    "employer_contacts",
    "employer_contacts_per_specialist_week",
    "specialist_count",
    "caseload_at_end",
    "caseload_per_specialist",
    "jobs_held",
    "tenure_weeks_median",
    "hours_20_plus",
    "hourly_wage_median",
)
# The shorter set of columns of per-specialist and per-program tables on screen (short labels).
BREAKDOWN_TABLE = measures(
    "active_caseload",
    "working",
    "employment_rate",
    "job_starts",
    "employer_contacts_per_specialist_week",
    "caseload_at_end",
    "first_contact_within_target",
)
