"""Chart models (what charts.js draws, what the accessible table lists and what exports write) and the
distribution charts: records counted into bins in one query, each bin drilling down to its records."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from benchmarks.models import BenchmarkSettings
from clients.models import Enrollment
from jobs.models import JobStart
from outcomes import metrics
from outcomes.measures import measure
from outcomes.periods import Period
from programs.models import Program

from .format import fmt_number

# {bin code: (label, filter on the records' annotations)}
Bins = dict[str, tuple[str, Q]]


class Drill(Protocol):
    """The link to the records behind a figure ('' when the user may not list clients)."""

    def __call__(self, measure_key: str, /, **extra: Any) -> str: ...


@dataclass
class Series:
    label: str
    data: list[Any]
    urls: list[str] = field(default_factory=list)
    kind: str = "value"  # "value" (bars / points) or "target" (a benchmark line)
    type: str = ""  # Chart.js dataset type when it differs from the chart's
    color: str = ""


@dataclass
class Chart:
    """One chart: what charts.js draws, what the accessible table lists and what exports write."""

    key: str
    title: str
    description: str
    type: str  # "bar", "line" or "scatter"
    labels: list[str]
    series: list[Series]
    x_title: str = ""
    y_title: str = ""
    y_max: float | None = None
    percent: bool = False
    empty: str = ""  # explanation shown instead of the chart when there is nothing to draw
    points: list[dict[str, Any]] = field(default_factory=list)  # scatter: [{"x", "y", "label", "url"}]
    exports: dict[str, str] = field(default_factory=dict)  # {"csv": url, "xlsx": url}
    zero_is_data: bool = False  # a 0% rate is a figure; a month with 0 starts draws nothing

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key.replace('_', '-')}"

    @property
    def data_id(self) -> str:
        return f"{self.dom_id}-data"

    @property
    def is_empty(self) -> bool:
        if self.type == "scatter":
            return not self.points
        blank = (None,) if self.zero_is_data else (None, 0)
        return not self.labels or not any(v not in blank for s in self.series if s.kind == "value" for v in s.data)

    def explain_if_empty(self, text: str) -> Chart:
        self.empty = text if self.is_empty else ""
        return self

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.title,
            "labels": self.labels,
            "xTitle": self.x_title,
            "yTitle": self.y_title,
            "yMax": self.y_max,
            "percent": self.percent,
            "points": self.points,
            "datasets": [
                {"label": s.label, "data": s.data, "urls": s.urls, "kind": s.kind, "type": s.type, "color": s.color}
                for s in self.series
            ],
        }

    # The accessible table and the export share one header and one row shape.
    def header(self) -> list[str]:
        if self.type == "scatter":
            return ["Program", "Fidelity total", "Employment rate %"]
        return [self.x_title or "Label"] + [s.label for s in self.series]

    def table_rows(self) -> list[list[dict[str, Any]]]:
        """Rows of cells {'text', 'url', 'value'} for the template."""
        if self.type == "scatter":
            return [
                [
                    {"text": p["label"], "url": p.get("url", ""), "value": p["label"]},
                    {"text": fmt_number(p["x"], 0), "url": "", "value": p["x"]},
                    {"text": fmt_number(p["y"]), "url": "", "value": p["y"]},
                ]
                for p in self.points
            ]
        rows = []
        for i, label in enumerate(self.labels):
            row: list[dict[str, Any]] = [{"text": label, "url": "", "value": label}]
            for s in self.series:
                value = s.data[i] if i < len(s.data) else None
                url = s.urls[i] if i < len(s.urls) else ""
                row.append({"text": fmt_number(value), "url": url or "", "value": value})
            rows.append(row)
        return rows

    def export_rows(self) -> list[list[Any]]:
        return [[cell["value"] for cell in row] for row in self.table_rows()]


# --- Records with the annotations the bins filter on ------------------------------------------------


def jobs_with_tenure(
    programs: QuerySet[Program], period: Period, specialists: list[int] | None, as_of: datetime.date
) -> QuerySet[JobStart]:
    """metrics.jobs_held annotated with `tenure` as metrics defines it: start to end date or, for a
    job still held, to min(as_of, the period's end)."""
    until = min(as_of, period.end)
    jobs: QuerySet[JobStart] = metrics.jobs_held(programs, period, specialists)
    return jobs.annotate(
        tenure=ExpressionWrapper(Coalesce(F("end_date"), Value(until)) - F("start_date"), output_field=DurationField())
    )


def first_contact_enrollments(
    programs: QuerySet[Program], period: Period, specialists: list[int] | None, as_of: datetime.date
) -> QuerySet[Enrollment]:
    """metrics.first_contact_enrollments with `days` from enrollment to that contact (a timedelta,
    None without a contact), for binning in the database."""
    enrollments: QuerySet[Enrollment] = metrics.first_contact_enrollments(programs, period, specialists, as_of)
    return enrollments.annotate(
        days=ExpressionWrapper(F("first_contact_date") - F("enrollment_date"), output_field=DurationField())
    )


# --- Bins -------------------------------------------------------------------------------------------


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def first_contact_bins(benchmarks: BenchmarkSettings) -> Bins:
    """Days from enrollment to the first face-to-face employer contact, binned by the IPS-25 item 15
    anchors, the first bin ending at the configured target."""
    target = benchmarks.first_employer_contact_days
    edges = [target] + [edge for edge in (60, 150, 270) if edge > target]
    bins: Bins = {}
    low = 0
    for edge in edges:
        bins[f"d{low}-{edge}"] = (f"{low}–{edge} days", Q(days__gte=_days(low), days__lte=_days(edge)))
        low = edge + 1
    bins[f"d{low}+"] = (f"more than {low - 1} days", Q(days__gte=_days(low)))
    bins["none"] = ("no contact yet", Q(first_contact_date__isnull=True))
    return bins


def first_contact_counted_bins(benchmarks: BenchmarkSettings, as_of: datetime.date) -> Bins:
    """The chart's bins plus the clients the first-contact rate counts: `counted` (the denominator:
    contacted, or not contacted with the target window elapsed by `as_of`) and `within_target` (the
    numerator), exactly as metrics.outcomes counts them."""
    target = benchmarks.first_employer_contact_days
    elapsed = Q(first_contact_date__isnull=True, enrollment_date__lt=as_of - _days(target))
    return first_contact_bins(benchmarks) | {
        "counted": ("clients the rate counts", Q(first_contact_date__isnull=False) | elapsed),
        "within_target": (f"contact within {target} days", Q(days__lte=_days(target))),
    }


def _range_bins(
    field_name: str, ranges: list[tuple[str, str, float, float | None]], unit: Callable[[float], Any]
) -> Bins:
    bins: Bins = {}
    for code, label, low, high in ranges:
        q = Q(**{f"{field_name}__gte": unit(low)})
        if high is not None:
            q &= Q(**{f"{field_name}__lt": unit(high)})
        bins[code] = (label, q)
    return bins


TENURE_RANGES: list[tuple[str, str, float, float | None]] = [
    ("w0-4", "under 4 weeks", 0, 4),
    ("w4-13", "4–13 weeks", 4, 13),
    ("w13-26", "13–26 weeks", 13, 26),
    ("w26-52", "26–52 weeks", 26, 52),
    ("w52+", "a year or more", 52, None),
]

HOURS_RANGES: list[tuple[str, str, float, float | None]] = [
    ("h0-10", "under 10 h", 0, 10),
    ("h10-20", "10–19 h", 10, 20),
    ("h20-30", "20–29 h", 20, 30),
    ("h30-40", "30–39 h", 30, 40),
    ("h40+", "40 h or more", 40, None),
]


def tenure_bins() -> Bins:
    return _range_bins("tenure", TENURE_RANGES, lambda weeks: datetime.timedelta(weeks=weeks))


def hours_bins() -> Bins:
    return _range_bins("hours_per_week", HOURS_RANGES, lambda hours: hours) | {
        "unknown": ("not recorded", Q(hours_per_week__isnull=True))
    }


# --- The distribution builder -----------------------------------------------------------------------


def distribution(records: QuerySet[Any], bins: Bins) -> dict[str, int]:
    """{bin code: count} in one aggregate query."""
    if not bins:
        return {}
    counts: dict[str, int] = records.aggregate(**{code: Count("pk", filter=q) for code, (_label, q) in bins.items()})
    return counts


def distribution_chart(
    key: str,
    note: str,
    records: QuerySet[Any],
    bins: Bins,
    drill: Drill,
    *,
    series: str,
    x_title: str,
    y_title: str,
    empty: str,
) -> Chart:
    """A bar chart of catalogue measure `key`: its `records` counted into `bins` (one query), each bar
    drilling down to the records of its bin."""
    counts = distribution(records, bins)
    chart = Chart(
        key,
        measure(key).label,
        note,
        "bar",
        [label for label, _q in bins.values()],
        [
            Series(
                series,
                [counts.get(code, 0) for code in bins],
                [drill(key, bin=code) for code in bins],
                color="primary",
            )
        ],
        x_title=x_title,
        y_title=y_title,
    )
    return chart.explain_if_empty(empty)


def months_ending(period: Period, n: int) -> list[Period]:
    """The `n` calendar months up to the one `period` ends in, oldest first."""
    months = []
    year, month = period.end.year, period.end.month
    for _ in range(n):
        months.append(Period.month(year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]
