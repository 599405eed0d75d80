"""What the supervisor dashboard shows: headline cards, charts, the by-specialist table and the records
left out of the figures, for one `Filters`.

Every figure comes from `outcomes.metrics`; labels and definitions from `outcomes.measures`. A bounded
number of queries whatever the number of clients, jobs or contacts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from benchmarks.models import BenchmarkSettings, Denominator
from caseload.rules import any_alert
from caseload.selectors import with_status
from clients.models import Client
from outcomes import metrics
from outcomes.measures import MEASURES, measure, measures
from outcomes.periods import Period, Rate
from programs.models import Program, User
from reports.quarterly.snapshots import cohort_period_for

from . import charts
from .charts import Chart, Drill, Series
from .filters import Filters
from .format import (
    BAND_STYLES,
    BandView,
    Change,
    band_of,
    benchmark_values,
    change,
    fmt_median_days,
    fmt_percent,
    percent,
    rounded,
)

TREND_QUARTERS = 8
MONTHS_OF_STARTS = 12
CONTACT_WEEKS = 4  # "employer contacts a week (last 4 weeks)"
QUALITY_MEASURES = ("missing_enrollment_date", "jobs_missing_fields", "contacts_missing_mode")
SPECIALIST_LINKS = ("active_caseload", "working", "job_starts")  # the table's figures that list records
SPECIALIST_COLUMNS = measures(
    "active_caseload", "employer_contacts_per_specialist_week", "working", "employment_rate", "job_starts"
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


def supervisor_dashboard(filters: Filters, *, names_visible: bool = False) -> dict[str, Any]:
    """Everything the supervisor dashboard shows for `filters`, in a bounded number of queries."""
    b = filters.benchmarks
    programs, period, specialists = filters.program_qs, filters.period, filters.specialist_ids
    denominator, as_of = filters.denominator, filters.as_of
    previous = period.previous()
    now = metrics.outcomes(
        programs, period, specialists=specialists, denominator=denominator, as_of=as_of, benchmarks=b
    )
    before = metrics.outcomes(
        programs, previous, specialists=specialists, denominator=denominator, as_of=as_of, benchmarks=b
    )

    def drill(measure_key: str, /, **extra: Any) -> str:
        return filters.url("reports:drilldown", measure=measure_key, **extra) if names_visible else ""

    by_specialist = metrics.outcomes_by_specialist(programs, period, denominator=denominator, as_of=as_of, benchmarks=b)
    if specialists:
        by_specialist = [(u, o) for u, o in by_specialist if u.pk in specialists]
    recent = Period.custom(filters.last_day - datetime.timedelta(days=7 * CONTACT_WEEKS - 1), filters.last_day)
    recent_by_specialist = {
        u.pk: o
        for u, o in metrics.outcomes_by_specialist(programs, recent, denominator=denominator, as_of=as_of, benchmarks=b)
    }
    alerts = open_alerts_by_specialist(programs, filters.today, b)

    charts_shown = [
        trend_chart(programs, period, specialists, filters.denominator, b, drill),
        starts_chart(programs, period, specialists, drill),
        contacts_chart(by_specialist, b, filters, drill),
        caseload_chart(by_specialist, b, drill),
        first_contact_chart(programs, period, specialists, b, filters.as_of, drill),
        tenure_chart(programs, period, specialists, filters.as_of, drill),
        hours_chart(programs, period, specialists, drill),
    ]
    for chart in charts_shown:
        chart.exports = {fmt: filters.export_url(chart.key, fmt) for fmt in ("csv", "xlsx")}
    rows = [
        specialist_row(user, o, recent_by_specialist.get(user.pk), alerts, recent, filters, names_visible)
        for user, o in by_specialist
    ]
    return {
        "benchmarks": b,
        "outcomes": now,
        "previous_outcomes": before,
        "previous_period": previous,
        "cards": headline_cards(now, before, filters, drill),
        "charts": charts_shown,
        "specialist_rows": rows,
        "recent_period": recent,
        "data_quality": data_quality_notes(programs, period, drill),
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
    recent: metrics.Outcomes | None,
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
        "contacts_week": recent.employer_contacts_per_specialist_week if recent else None,
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
    starts = charts.per_period(lambda m: metrics.job_starts(programs, m, specialists), months)
    firsts = charts.per_period(lambda m: metrics.first_job_starts(programs, m, specialists), months)
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
