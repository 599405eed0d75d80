"""How the dashboards write numbers, rates, benchmark bands and changes (one place for each)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from benchmarks.models import BenchmarkSettings
from outcomes import metrics
from outcomes.measures import Measure
from outcomes.periods import Rate

Number = int | float | Decimal

BAND_STYLES = {
    "below_minimal": "danger",
    "minimal": "warning",
    "average": "info",
    "excellent": "success",
    "no_data": "secondary",
    "too_few": "secondary",
    "below_ips_grow": "danger",
    "meets_ips_grow": "success",
    "below_cumulative": "danger",
    "meets_cumulative": "success",
}


class BandView(TypedDict):
    code: str
    label: str
    style: str


class Change(TypedDict):
    value: float | None
    text: str
    direction: str  # "up", "down", "same" or "none"


def percent(rate: Rate | None) -> float | None:
    return rate.percent if rate is not None else None


def round_half_up(value: Number, digits: int = 1) -> Decimal:
    """`value` rounded to `digits` decimals, halves away from zero (30.5 -> 31 at 0 digits, 2.25 -> 2.3),
    not Python's round-half-to-even: the one rounding rule of dashboards, reports and exports."""
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def fmt_number(value: Number | None, digits: int = 1) -> str:
    """A figure as text: `digits` decimals at most (half up, see `round_half_up`), no trailing zeros
    (30.5, 9, 2.3); "–" when unknown. The one number format of the dashboards and the quarterly report."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    text = f"{round_half_up(value, digits):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_median_days(median: Number | None, over: int | None) -> str:
    """Median days to first employer contact: "> N" when the median falls among clients not yet
    contacted (`Outcomes.first_contact_days_median_over`), else the number."""
    return f"> {over}" if over is not None else fmt_number(median)


def fmt_percent(rate: Rate | None) -> str:
    return "–" if rate is None or rate.percent is None else f"{rate.percent:.1f}%"


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def band_of(rate: Rate | None, benchmarks: BenchmarkSettings, denominator: str | None = None) -> BandView:
    band = metrics.rate_band(rate, benchmarks, denominator)
    return {"code": band.code, "label": band.label, "style": BAND_STYLES.get(band.code, "secondary")}


def change(current: float | None, previous: float | None, *, points: bool = False) -> Change:
    """The change from the previous period (the value None when either side is unknown)."""
    if current is None or previous is None:
        return {"value": None, "text": "no comparison", "direction": "none"}
    delta = round(current - previous, 1)
    unit = " pts" if points else ""
    if delta == 0:
        return {"value": 0, "text": "no change", "direction": "same"}
    sign = "+" if delta > 0 else "−"
    return {"value": delta, "text": f"{sign}{abs(delta):g}{unit}", "direction": "up" if delta > 0 else "down"}


def benchmark_values(measure: Measure, benchmarks: BenchmarkSettings) -> list[float]:
    """The settings a catalogue measure is judged against (its `benchmark` fields), lowest band first."""
    return [float(getattr(benchmarks, name)) for name in measure.benchmark]
