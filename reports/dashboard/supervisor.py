"""What the supervisor dashboard shows: headline cards, charts, the by-specialist table and the records
left out of the figures, for one `Filters`.

Every figure comes from `outcomes.metrics`; labels and definitions from `outcomes.measures`. A bounded
number of queries whatever the number of clients, jobs or contacts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.db.models import Count, QuerySet

from benchmarks.models import BenchmarkSettings, Denominator
from caseload.rules import any_alert
from caseload.selectors import with_status
from clients.models import Client
from outcomes import metrics
from outcomes.measures import MEASURES, measure, measures
from outcomes.periods import Period
from programs.models import Program, User

from . import charts
from .cards import CARD_FIGURES, Card, headline_cards
from .charts import Chart, Drill, Series
from .filters import Filters
from .format import band_of, benchmark_values, rounded

# The charts, in the page's order (each is also a table and an export).
CHARTS = ("rate_trend", "job_starts", "employer_contacts", "caseload", "first_contact", "tenure", "hours")
TREND_QUARTERS = 8
MONTHS_OF_STARTS = 12
CONTACT_WEEKS = 4  # "employer contacts a week (last 4 weeks)"
QUALITY_MEASURES = ("missing_enrollment_date", "jobs_missing_fields", "contacts_missing_mode")
SPECIALIST_LINKS = ("active_caseload", "working", "job_starts")  # the table's figures that list records
SPECIALIST_COLUMNS = measures(
    "active_caseload", "employer_contacts_per_specialist_week", "working", "employment_rate", "job_starts"
)


class Dashboard:
    """The supervisor dashboard's parts for `filters`, each figure computed once and only when a part
    that shows it is asked for (the page asks for all; an export only for its table)."""

    def __init__(self, filters: Filters, *, names_visible: bool = False, now_figures: tuple[str, ...] | None = None):
        self.filters, self.names_visible, self.now_figures = filters, names_visible, now_figures
        self.programs, self.period, self.specialists = filters.program_qs, filters.period, filters.specialist_ids
        self.b = filters.benchmarks
        self.previous = self.period.previous()
        self.recent_period = Period.custom(
            filters.last_day - datetime.timedelta(days=7 * CONTACT_WEEKS - 1), filters.last_day
        )

    def drill(self, measure_key: str, /, **extra: Any) -> str:
        return self.filters.url("reports:drilldown", measure=measure_key, **extra) if self.names_visible else ""

    def _outcomes(self, period: Period, figures: tuple[str, ...] | None) -> metrics.Outcomes:
        f = self.filters
        return metrics.outcomes(
            self.programs, period, specialists=self.specialists, denominator=f.denominator, as_of=f.as_of,
            benchmarks=self.b, figures=figures,
        )  # fmt: skip

    @cached_property
    def now(self) -> metrics.Outcomes:
        return self._outcomes(self.period, self.now_figures)

    @cached_property
    def before(self) -> metrics.Outcomes:
        """The previous quarter: only what the cards compare."""
        return self._outcomes(self.previous, CARD_FIGURES)

    @cached_property
    def by_specialist(self) -> list[tuple[User, metrics.Outcomes]]:
        f = self.filters
        rows = metrics.outcomes_by_specialist(
            self.programs, self.period, denominator=f.denominator, as_of=f.as_of, benchmarks=self.b
        )
        return [(u, o) for u, o in rows if u.pk in self.specialists] if self.specialists else rows

    def cards(self) -> list[Card]:
        return headline_cards(self.now, self.before, self.filters, self.drill)

    def specialist_rows(self) -> list[dict[str, Any]]:
        f = self.filters
        # Only the contacts a week of the last four weeks: not a second full set of figures.
        recent = metrics.contacts_per_week_by_specialist(
            self.programs, self.recent_period, as_of=f.as_of, benchmarks=self.b
        )
        alerts = open_alerts_by_specialist(self.programs, f.today, self.b)
        return [
            specialist_row(user, o, recent.get(user.pk), alerts, self.recent_period, f, self.names_visible)
            for user, o in self.by_specialist
        ]

    def chart(self, key: str) -> Chart:
        """The chart `key` (one of CHARTS)."""
        programs, period, specialists, f, drill = self.programs, self.period, self.specialists, self.filters, self.drill
        if key == "rate_trend":
            return trend_chart(programs, period, specialists, f.denominator, self.b, drill)
        if key == "job_starts":
            return starts_chart(programs, period, specialists, drill)
        if key == "employer_contacts":
            return contacts_chart(self.by_specialist, self.b, f, drill)
        if key == "caseload":
            return caseload_chart(self.by_specialist, self.b, drill)
        if key == "first_contact":
            return first_contact_chart(programs, period, specialists, self.b, f.as_of, drill)
        if key == "tenure":
            return tenure_chart(programs, period, specialists, f.as_of, drill)
        return hours_chart(programs, period, specialists, drill)

    def charts(self) -> list[Chart]:
        shown = [self.chart(key) for key in CHARTS]
        for chart in shown:
            chart.exports = {fmt: self.filters.export_url(chart.key, fmt) for fmt in ("csv", "xlsx")}
        return shown


def supervisor_dashboard(filters: Filters, *, names_visible: bool = False) -> dict[str, Any]:
    """Everything the supervisor dashboard shows for `filters`, in a bounded number of queries."""
    board = Dashboard(filters, names_visible=names_visible)
    now = board.now
    return {
        "benchmarks": board.b,
        "outcomes": now,
        "previous_outcomes": board.before,
        "previous_period": board.previous,
        "cards": board.cards(),
        "charts": board.charts(),
        "specialist_rows": board.specialist_rows(),
        "recent_period": board.recent_period,
        "data_quality": data_quality_notes(board.programs, board.period, board.drill),
        "export_urls": {
            f"{dataset}_{fmt}": filters.export_url(dataset, fmt)
            for dataset in ("cards", "specialists", "all")
            for fmt in ("csv", "xlsx")
        },
        "contact_weeks": CONTACT_WEEKS,
        "measures": MEASURES,
        "specialist_columns": SPECIALIST_COLUMNS,
        "denominators": Denominator.choices,
        "is_empty": now.active_caseload == 0 and now.job_starts == 0 and now.new_enrollments == 0,
    }


def specialist_row(
    user: User,
    o: metrics.Outcomes,
    recent: float | None,
    alerts: dict[int, int],
    recent_period: Period,
    filters: Filters,
    names_visible: bool,
) -> dict[str, Any]:
    """One row of the by-specialist table; each figure links to the records behind it."""

    def drill(measure_key: str, /, **extra: Any) -> str:
        if not names_visible:
            return ""
        return filters.url("reports:drilldown", measure=measure_key, specialist=user.pk, **extra)

    urls = {key: drill(key) for key in SPECIALIST_LINKS}
    urls["contacts"] = drill(
        "employer_contacts", start=recent_period.start.isoformat(), end=recent_period.end.isoformat()
    )
    urls["dashboard"] = filters.url("reports:dashboard", specialist=user.pk)
    return {
        "specialist": user,
        "caseload": o.active_caseload,
        "contacts_week": recent,
        "working": o.working,
        "rate": o.employment_rate,
        "band": band_of(o.employment_rate, filters.benchmarks, filters.denominator),
        "starts": o.job_starts,
        "alerts": alerts.get(user.pk),
        "urls": urls,
    }


def data_quality_notes(programs: QuerySet[Program], period: Period, drill: Drill) -> list[dict[str, Any]]:
    """[{measure, title, count, url}] of the records metrics.data_quality leaves out (3 queries)."""
    quality = metrics.data_quality(programs, period)
    counts = zip(
        QUALITY_MEASURES,
        (
            quality.enrollments_missing_dates.count(),
            quality.jobs_missing_fields.count(),
            quality.contacts_missing_mode.count(),
        ),
        strict=True,
    )
    return [{"measure": m, "title": measure(m).label, "count": n, "url": drill(m)} for m, n in counts if n]


def open_alerts_by_specialist(
    programs: QuerySet[Program], today: datetime.date, benchmarks: BenchmarkSettings
) -> dict[int, int]:
    """{specialist id: clients with at least one open alert}: the caseload's own rules (caseload.rules,
    in SQL), counted per specialist in one grouped query."""
    # Program ids as a list, not a subquery: PostgreSQL then narrows to them before applying the rules.
    clients = Client.objects.filter(program_id__in=list(programs.values_list("pk", flat=True)))
    counts = (
        with_status(clients, benchmarks, today)
        .filter(any_alert(benchmarks, today), episode_specialist_id__isnull=False)
        .values("episode_specialist_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["episode_specialist_id"]: row["n"] for row in counts}


# --- The charts -------------------------------------------------------------------------------------


def trend_chart(
    programs: QuerySet[Program],
    period: Period,
    specialists: list[int] | None,
    denominator: str,
    b: BenchmarkSettings,
    drill: Drill,
) -> Chart:
    rate = measure("employment_rate")
    trend = metrics.employment_rate_trend(
        programs, period, TREND_QUARTERS, specialists=specialists, denominator=denominator, benchmarks=b
    )
    labels = [p.code for p, _rate in trend]
    series = [
        Series(
            "Employment rate %",
            [r.percent for _p, r in trend],
            [drill("rate_numerator", quarter=p.code) for p, _r in trend],
            color="primary",
        )
    ]
    if denominator == Denominator.OUT_OF_WORK:
        lines = [("IPS Grow benchmark", float(b.ips_grow_rate), "info")]
    else:
        minimal, average, excellent = benchmark_values(rate, b)
        lines = [("Minimal", minimal, "danger"), ("Average", average, "warning"), ("Excellent", excellent, "success")]
    for name, value, color in lines:
        series.append(Series(f"{name} ({value:g}%)", [value] * len(labels), kind="target", color=color))
    chart = Chart(
        "rate_trend",
        f"{rate.label}, last {TREND_QUARTERS} quarters",
        "Share of active clients who held a competitive job in each quarter, against the IPS benchmarks.",
        "line",
        labels,
        series,
        x_title="Quarter",
        y_title="%",
        y_max=60,
        percent=True,
        zero_is_data=True,
    )
    return chart.explain_if_empty("No active clients in these quarters.")


def starts_chart(programs: QuerySet[Program], period: Period, specialists: list[int] | None, drill: Drill) -> Chart:
    months = charts.months_ending(period, MONTHS_OF_STARTS)
    counts = metrics.job_starts_by_period(programs, months, specialists)
    starts = {code: n for code, (n, _firsts) in counts.items()}
    firsts = {code: n for code, (_starts, n) in counts.items()}
    chart = Chart(
        "job_starts",
        f"{measure('job_starts').label} per month",
        f"Competitive job starts in the {MONTHS_OF_STARTS} months to the end of the quarter.",
        "bar",
        [m.start.strftime("%b %Y") for m in months],
        [
            Series(
                measure(key).label,
                [counts[m.code] for m in months],
                [drill(key, month=m.code) for m in months],
                color=color,
            )
            for key, counts, color in (("job_starts", starts, "primary"), ("first_job_starts", firsts, "success"))
        ],
        x_title="Month",
        y_title=measure("job_starts").label,
    )
    return chart.explain_if_empty("No competitive job started in these months.")


def specialist_chart(
    key: str,
    measure_key: str,
    by_specialist: list[tuple[User, metrics.Outcomes]],
    value: Callable[[metrics.Outcomes], float | int | None],
    drill: Drill,
    b: BenchmarkSettings,
    *,
    drill_key: str,
    note: str,
    series: str,
    line: str,
    y_title: str,
    empty: str,
) -> Chart:
    """A bar a specialist (each listing its records) against the catalogue measure's benchmark line;
    `note` may name the benchmark as {limit}."""
    m = measure(measure_key)
    labels = [str(u) for u, _o in by_specialist]
    (limit,) = benchmark_values(m, b)
    chart = Chart(
        key,
        m.label,
        note.format(limit=f"{limit:g}"),
        "bar",
        labels,
        [
            Series(
                series,
                [value(o) for _u, o in by_specialist],
                [drill(drill_key, specialist=u.pk) for u, _o in by_specialist],
                color="primary",
            ),
            Series(f"{line} ({limit:g})", [limit] * len(labels), kind="target", type="line", color="danger"),
        ],
        x_title="Specialist",
        y_title=y_title,
    )
    return chart.explain_if_empty(empty)


def contacts_chart(
    by_specialist: list[tuple[User, metrics.Outcomes]], b: BenchmarkSettings, filters: Filters, drill: Drill
) -> Chart:
    return specialist_chart(
        "employer_contacts",
        "employer_contacts_per_specialist_week",
        by_specialist,
        lambda o: rounded(o.employer_contacts_per_specialist_week),
        drill,
        b,
        drill_key="employer_contacts",
        note=f"Face-to-face employer contacts a week in {filters.period.label}, against the target of {{limit}}.",
        series="Contacts a week",
        line="Target",
        y_title="Contacts a week",
        empty="No specialist logged a face-to-face employer contact in this quarter.",
    )


def caseload_chart(by_specialist: list[tuple[User, metrics.Outcomes]], b: BenchmarkSettings, drill: Drill) -> Chart:
    return specialist_chart(
        "caseload",
        "caseload_per_specialist",
        by_specialist,
        lambda o: o.active_caseload,
        drill,
        b,
        drill_key="active_caseload",
        note="Active clients of each specialist in the quarter, against the maximum of {limit}.",
        series="Active clients",
        line="Maximum",
        y_title="Clients",
        empty="No specialist has active clients in this quarter.",
    )


def first_contact_chart(
    programs: QuerySet[Program],
    period: Period,
    specialists: list[int] | None,
    b: BenchmarkSettings,
    as_of: datetime.date,
    drill: Drill,
) -> Chart:
    return charts.distribution_chart(
        "first_contact",
        "New clients of the quarter by days from enrollment to the first face-to-face employer contact "
        f"(target: {b.first_employer_contact_days} days).",
        charts.first_contact_enrollments(programs, period, specialists, as_of),
        charts.first_contact_bins(b),
        drill,
        series="New clients",
        x_title="Days",
        y_title="Clients",
        empty="No client enrolled in this quarter.",
    )


def tenure_chart(
    programs: QuerySet[Program], period: Period, specialists: list[int] | None, as_of: datetime.date, drill: Drill
) -> Chart:
    return charts.distribution_chart(
        "tenure",
        "Competitive jobs held in the quarter by weeks from start to end (or, still held, to "
        f"{min(as_of, period.end):%-d %b %Y}).",
        charts.jobs_with_tenure(programs, period, specialists, as_of),
        charts.tenure_bins(),
        drill,
        series="Jobs",
        x_title="Tenure",
        y_title="Jobs",
        empty="No competitive job was held in this quarter.",
    )


def hours_chart(programs: QuerySet[Program], period: Period, specialists: list[int] | None, drill: Drill) -> Chart:
    return charts.distribution_chart(
        "hours",
        "Competitive jobs held in the quarter by hours worked a week.",
        metrics.jobs_held(programs, period, specialists),
        charts.hours_bins(),
        drill,
        series="Jobs",
        x_title="Hours a week",
        y_title="Jobs",
        empty="No competitive job was held in this quarter.",
    )
