"""The regional view: a region's programs side by side for one quarter, with the latest fidelity review of
each, sortable without JavaScript, and the scatter of fidelity against the employment rate."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode

from benchmarks.models import BenchmarkSettings
from fidelity.selectors import good_fidelity_total, latest_reviews
from outcomes import quarter
from outcomes.measures import measure
from outcomes.periods import Period
from programs.models import Program

from .charts import Chart, Series
from .format import band_of, benchmark_values, change

REGION_PAGE = 50  # programs a page of the regional table shows (the exports hold them all)
FIDELITY_AXIS = (25, 125)  # the IPS-25 total runs from 25 (all items 1) to 125 (all items 5)

Row = dict[str, Any]

REGION_SORTS: dict[str, tuple[str, Callable[[Row], Any]]] = {
    "name": ("Program", lambda r: r["program"].name.casefold()),
    "caseload": (measure("active_caseload").short_label, lambda r: r["caseload"]),
    "rate": (measure("employment_rate").short_label, lambda r: r["rate"].percent),
    "starts": (measure("job_starts").short_label, lambda r: r["starts"]),
    "fidelity": ("Fidelity total", lambda r: r["fidelity_total"]),
    "trend": ("Trend", lambda r: r["trend"]["value"]),
}


def sort_region_rows(rows: list[Row], sort: str) -> tuple[list[Row], str]:
    """Sort by `sort` ('rate', '-rate', ...); unknown values sort by name; blanks always last."""
    key = sort.lstrip("-")
    if key not in REGION_SORTS:
        key, sort = "name", "name"
    getter = REGION_SORTS[key][1]
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    present.sort(key=getter, reverse=sort.startswith("-"))
    missing.sort(key=lambda r: r["program"].name.casefold())
    return present + missing, sort


def region_sort_links(params: dict[str, str], sort: str) -> list[dict[str, Any]]:
    """Column headers of the regional table: each links to a sort by that column (names A-Z and
    figures highest first; the active column's link reverses it)."""
    links = []
    for key, (label, _getter) in REGION_SORTS.items():
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        first_direction = key if key == "name" else f"-{key}"
        target = (key if descending else f"-{key}") if active else first_direction
        links.append(
            {
                "key": key,
                "label": label,
                "url": f"{reverse('reports:region')}?{urlencode({**params, 'sort': target})}",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
                "active": active,
                "descending": descending,
            }
        )
    return links


def regional_view(
    programs: list[Program],
    period: Period,
    today: datetime.date,
    *,
    sort: str = "name",
    denominator: str | None = None,
    benchmarks: BenchmarkSettings | None = None,
) -> dict[str, Any]:
    """Programs side by side for one quarter, with the latest fidelity review of each."""
    b = benchmarks or BenchmarkSettings.current()
    ids = [p.pk for p in programs]
    previous = period.previous()
    # Only what the page shows: caseload, working, rate and starts now, the rate a quarter before.
    now = quarter.employment_by_program(ids, period, denominator=denominator, as_of=today, benchmarks=b)
    before = quarter.employment_by_program(
        ids, previous, denominator=denominator, as_of=today, benchmarks=b, with_starts=False
    )
    reviews = latest_reviews(ids)
    total = quarter.combined(now.values())
    dashboard = reverse("reports:dashboard")
    rows = []
    for program in programs:
        o, p = now[program.pk], before[program.pk]
        review = reviews.get(program.pk)
        rate, previous_rate = o.employment_rate, p.employment_rate
        rows.append(
            {
                "program": program,
                "caseload": o.active_caseload,
                "working": o.working,
                "rate": rate,
                "band": band_of(rate, b, denominator),
                "starts": o.job_starts,
                "previous_rate": previous_rate,
                "trend": change(rate.percent, previous_rate.percent, points=True),
                "review": review,
                "fidelity_total": review.total_score if review else None,
                "fidelity_level": review.level if review else None,
                "dashboard_url": f"{dashboard}?" + urlencode({"program": program.code, "quarter": period.code}),
            }
        )
    # Every program's row is sorted before the page is cut from it (region_page), so a sort runs across
    # pages; the scatter, the total and the exports take all of them.
    rows, sort = sort_region_rows(rows, sort)
    return {
        "benchmarks": b,
        "rows": rows,
        "sort": sort,
        "total": total,
        "total_band": band_of(total.employment_rate, b, denominator),
        "previous_period": previous,
        "charts": [fidelity_scatter(rows, b)],
    }


def region_page(rows: list[Row], number: str | None, params: dict[str, str]) -> dict[str, Any]:
    """The page of `rows` (REGION_PAGE programs) asked for, and its links (region, quarter, sort kept)."""
    page = Paginator(rows, REGION_PAGE).get_page(number)
    url = reverse("reports:region")

    def link(n: int) -> str:
        return f"{url}?{urlencode({**params, 'page': str(n)})}"

    return {
        "page": page,
        "rows": list(page.object_list),
        "previous_url": link(page.previous_page_number()) if page.has_previous() else None,
        "next_url": link(page.next_page_number()) if page.has_next() else None,
    }


def fidelity_scatter(rows: list[Row], b: BenchmarkSettings) -> Chart:
    """Each program with a finalized review and active clients: fidelity total against employment rate,
    with the rate's benchmark bands and the good-fidelity total as lines."""
    points = [
        {"x": r["fidelity_total"], "y": r["rate"].percent, "label": r["program"].name, "url": r["dashboard_url"]}
        for r in rows
        if r["fidelity_total"] is not None and r["rate"].percent is not None
    ]
    low, high = FIDELITY_AXIS
    minimal, average, excellent = benchmark_values(measure("employment_rate"), b)
    lines = [
        Series(
            f"{name} ({value:g}%)",
            [{"x": low, "y": value}, {"x": high, "y": value}],
            kind="target",
            type="line",
            color=color,
        )
        for name, value, color in [
            ("Minimal", minimal, "danger"),
            ("Average", average, "warning"),
            ("Excellent", excellent, "success"),
        ]
    ]
    good = good_fidelity_total()  # the IPS-25 scale's "good" level row (none without a current scale)
    if good is not None:
        lines.append(
            Series(
                f"Good fidelity ({good})",
                [{"x": good, "y": 0}, {"x": good, "y": 100}],
                kind="target",
                type="line",
                color="secondary",
            )
        )
    scatter = Chart(
        "fidelity_vs_rate",
        "Fidelity total against employment rate",
        "Each point is a program: its latest finalized IPS-25 total and its employment rate in the quarter.",
        "scatter",
        [],
        lines,
        x_title="Fidelity total (IPS-25)",
        y_title="Employment rate %",
        y_max=100,
        percent=True,
        points=points,
    )
    return scatter.explain_if_empty("No program has both a finalized fidelity review and active clients.")
