"""How a figure compares with its benchmark: the band of a quarterly employment rate, and the
benchmark figures a quarterly report keeps with its snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from benchmarks.models import BenchmarkSettings

from .common import OUT_OF_WORK, checked_denominator, current_benchmarks
from .periods import Rate


@dataclass(frozen=True)
class Band:
    code: str
    label: str


BAND_LABELS = {
    "no_data": "No data",
    "too_few": "Not reliable: too few clients",
    "below_minimal": "Below minimal",
    "minimal": "Minimal",
    "average": "Average",
    "excellent": "Excellent",
    "below_ips_grow": "Below the IPS Grow benchmark",
    "meets_ips_grow": "Meets the IPS Grow benchmark",
    "below_cumulative": "Below the trials' cohort benchmark",
    "meets_cumulative": "Meets the trials' cohort benchmark",
}


def rate_band(rate: Rate | None, benchmarks: BenchmarkSettings | None = None, denominator: str | None = None) -> Band:
    """The benchmark band of a quarterly employment rate (exact comparison, no float rounding).

    The denominator, like `outcomes`'s, defaults to BenchmarkSettings.employment_rate_denominator.
    Over all active clients: value < minimal -> below_minimal; < average -> minimal;
    < excellent -> average; else excellent (BenchmarkSettings.quarterly_rate_*). Over clients out of
    work at enrollment (`denominator="out_of_work"`), the rate is IPS Grow's, compared with its own
    benchmark (BenchmarkSettings.ips_grow_rate): below_ips_grow or meets_ips_grow. No denominator ->
    no_data; fewer clients than BenchmarkSettings.small_numbers_min (default 10) -> too_few, labelled
    "Not reliable: fewer than N clients" and never compared with the benchmark."""
    if rate is None or not rate.denominator:
        return Band("no_data", BAND_LABELS["no_data"])
    bench = current_benchmarks(benchmarks)
    flagged = too_few(rate, bench)
    if flagged:
        return flagged
    value = Fraction(rate.numerator, rate.denominator) * 100
    if checked_denominator(denominator, bench) == OUT_OF_WORK:
        code = "meets_ips_grow" if value >= Fraction(bench.ips_grow_rate) else "below_ips_grow"
    elif value < Fraction(bench.quarterly_rate_minimal):
        code = "below_minimal"
    elif value < Fraction(bench.quarterly_rate_average):
        code = "minimal"
    elif value < Fraction(bench.quarterly_rate_excellent):
        code = "average"
    else:
        code = "excellent"
    return Band(code, BAND_LABELS[code])


def too_few(rate: Rate | None, benchmarks: BenchmarkSettings | None = None) -> Band | None:
    """The "Not reliable" band of any rate over clients (the quarterly rate, the cohort rate, the share of
    new clients contacted within the target days) counted over fewer than
    BenchmarkSettings.small_numbers_min clients, else None: such a rate is shown with this flag and
    never compared with its benchmark."""
    bench = current_benchmarks(benchmarks)
    if rate is not None and 0 < rate.denominator < bench.small_numbers_min:
        return Band("too_few", f"Not reliable: fewer than {bench.small_numbers_min} clients")
    return None


def cohort_band(rate: Rate | None, benchmarks: BenchmarkSettings | None = None) -> Band:
    """The cohort (cumulative) rate against its own benchmark, BenchmarkSettings.cumulative_rate (~60%
    of the trials), never against the quarterly bands: no_data, too_few (see `too_few`), or
    meets_cumulative / below_cumulative (exact comparison)."""
    if rate is None or not rate.denominator:
        return Band("no_data", BAND_LABELS["no_data"])
    bench = current_benchmarks(benchmarks)
    flagged = too_few(rate, bench)
    if flagged:
        return flagged
    meets = Fraction(rate.numerator, rate.denominator) * 100 >= Fraction(bench.cumulative_rate)
    code = "meets_cumulative" if meets else "below_cumulative"
    return Band(code, BAND_LABELS[code])


def benchmark_snapshot(benchmarks: BenchmarkSettings | None = None) -> dict[str, Any]:
    """The benchmark figures as a JSON-safe dict (percentages as floats), for report snapshots."""
    bench = current_benchmarks(benchmarks)
    data = {}
    for f in BenchmarkSettings._meta.concrete_fields:
        if f.name in ("id", "updated_at", "updated_by"):
            continue
        value = getattr(bench, f.attname)
        data[f.name] = float(value) if hasattr(value, "as_tuple") else value
    return data
