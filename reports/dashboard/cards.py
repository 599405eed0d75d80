"""The supervisor dashboard's headline cards: a figure of the quarter against the previous quarter,
its benchmark band, and the 18-month cohort rate.

Every figure comes from `outcomes.metrics`; labels and definitions from `outcomes.measures`.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.models import Denominator
from outcomes import metrics
from outcomes.measures import measure
from outcomes.periods import Rate
from reports.quarterly.snapshots import cohort_period_for

from .charts import Drill
from .filters import Filters
from .format import BAND_STYLES, BandView, Change, band_of, change, fmt_median_days, fmt_percent, percent

# The figures the cards show (of the quarter and of the previous one): `metrics.outcomes(figures=...)`.
CARD_FIGURES = (
    "active_caseload",
    "working",
    "employment_rate",
    "job_starts",
    "first_job_starts",
    "first_contact_days_median",
    "first_contact_within_target",
)


@dataclass
class Card:
    """One headline figure; `key`, `label` and `definition` are its catalogue entry's."""

    key: str
    label: str
    value: str
    previous: str
    change: Change
    url: str = ""
    band: BandView | None = None
    note: str = ""
    raw: float | int | None = None
    previous_raw: float | int | None = None
    definition: str = ""


def count_card(key: str, now: metrics.Outcomes, before: metrics.Outcomes, drill: Drill, note: str = "") -> Card:
    """A card of one count of `Outcomes` against the previous period."""
    m = measure(key)
    value, previous = getattr(now, key), getattr(before, key)
    return Card(
        key, m.label, str(value), str(previous), change(value, previous), drill(key),
        raw=value, previous_raw=previous, note=note, definition=m.definition,
    )  # fmt: skip


def rate_card(key: str, rate: Rate, previous_rate: Rate, url: str, note: str, band: BandView | None = None) -> Card:
    """A card of a rate against the previous period; the change is in percentage points."""
    m = measure(key)
    value, previous = percent(rate), percent(previous_rate)
    return Card(
        key, m.label, fmt_percent(rate), fmt_percent(previous_rate), change(value, previous, points=True), url,
        band=band, raw=value, previous_raw=previous, note=note, definition=m.definition,
    )  # fmt: skip


def band_view(band: metrics.Band | None) -> BandView | None:
    if band is None:
        return None
    return {"code": band.code, "label": band.label, "style": BAND_STYLES.get(band.code, "secondary")}


def cohort_card(filters: Filters) -> Card:
    """The 18-month cohort rate (a different measure from the quarterly rate): of the clients enrolled
    in the quarter whose follow-up ends in the selected one (as in the quarterly report), the share
    with a competitive job within the follow-up months, against its own ~60% benchmark; provisional
    while the follow-up runs. Two queries."""
    b, months = filters.benchmarks, filters.benchmarks.cumulative_months
    cohort_period = cohort_period_for(filters.period, months)
    cohort = metrics.cohort_rate(filters.program_qs, cohort_period, months=months, as_of=filters.as_of, benchmarks=b)
    rate, m = cohort.rate, measure("cumulative_rate")
    ends = metrics.add_months(cohort_period.end, months)
    follow_up = (
        "follow-up complete" if cohort.follow_up_complete else f"provisional: follow-up complete on {ends.isoformat()}"
    )
    note = (
        f"{rate.numerator} of {rate.denominator} clients enrolled in {cohort_period.label}, job within "
        f"{months} months · benchmark ≈{float(b.cumulative_rate):g}% (trials), not the quarterly bands · "
        f"{follow_up}"
    )
    return Card(
        "cumulative_rate", m.label, fmt_percent(rate), "–", change(None, None), "",
        band=band_view(metrics.cohort_band(rate, b)), raw=percent(rate), note=note, definition=m.definition,
    )  # fmt: skip


def headline_cards(now: metrics.Outcomes, before: metrics.Outcomes, filters: Filters, drill: Drill) -> list[Card]:
    b, rate, first_contact = filters.benchmarks, now.employment_rate, now.first_contact_within_target
    over = " out of work at enrollment" if filters.denominator == Denominator.OUT_OF_WORK else " active clients"
    median, median_over = now.first_contact_days_median, now.first_contact_days_median_over
    has_median = median is not None or median_over is not None
    return [
        count_card("active_caseload", now, before, drill),
        count_card("working", now, before, drill),
        rate_card(
            "employment_rate",
            rate,
            before.employment_rate,
            drill("rate_numerator"),
            f"{rate.numerator} of {rate.denominator}{over}",
            band=band_of(rate, b, filters.denominator),
        ),  # fmt: skip
        count_card("job_starts", now, before, drill, f"{now.first_job_starts} first job starts"),
        rate_card(
            "first_contact_within_target",
            first_contact,
            before.first_contact_within_target,
            drill("first_contact_within_target"),
            f"{first_contact.numerator} of {first_contact.denominator} new clients within "
            f"{b.first_employer_contact_days} days"
            + (f" · median {fmt_median_days(median, median_over)} days" if has_median else ""),
            # A share of fewer than small_numbers_min new clients is flagged, like the rates.
            band=band_view(metrics.too_few(first_contact, b)),
        ),  # fmt: skip
        cohort_card(filters),
    ]
