"""Presentation of a stored quarterly snapshot: tables for the page and the exports, and the trend
chart as server-rendered SVG geometry (the PDF runs no JavaScript). Reads the snapshot only; labels and
definitions come from the measure catalogue (`outcomes.measures`)."""

from django.core.exceptions import FieldDoesNotExist

from benchmarks.models import BenchmarkSettings
from outcomes.measures import BREAKDOWN_TABLE, QUARTERLY_REPORT, measure
from reports.labels import heading

# Data-quality lists of a snapshot (keys of metrics.DataQuality) and their catalogue measures.
QUALITY_SECTIONS = [
    ("enrollments_missing_dates", "missing_enrollment_date"),
    ("jobs_missing_fields", "jobs_missing_fields"),
    ("contacts_missing_mode", "contacts_missing_mode"),
]
RATE_BANDS = measure("employment_rate").benchmark  # the settings of the rate's bands, lowest first


def value_of(outcomes, key):
    """A figure of an Outcomes dict as a plain number (a rate as its percent)."""
    value = outcomes.get(key)
    if isinstance(value, dict):
        return value.get("percent")
    if isinstance(value, float):
        return round(value, 2)
    return value


def display(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def small_numbers_note(outcomes, key, small_numbers_min):
    """ "Not reliable: …" for a rate over fewer clients than the snapshot's small_numbers_min, else ""."""
    value = outcomes.get(key)
    if not isinstance(value, dict) or small_numbers_min is None or value.get("denominator") is None:
        return ""
    if value["denominator"] >= small_numbers_min:
        return ""
    return f"Not reliable: fewer than {small_numbers_min} clients"


def measure_rows(outcomes, small_numbers_min=None):
    """[(label, value)] of every measure; a rate over too few clients says so in its label."""
    rows = []
    for m in QUARTERLY_REPORT:
        note = small_numbers_note(outcomes, m.key, small_numbers_min)
        rows.append((f"{heading(m)} ({note})" if note else heading(m), value_of(outcomes, m.key)))
    return rows


def measure_table(outcomes, small_numbers_min=None):
    """Every measure for the page: {"label", "value", "definition", "note"} (the definition as a tooltip;
    the note flags a rate over too few clients)."""
    return [
        {
            "label": heading(m),
            "value": value_of(outcomes, m.key),
            "definition": m.definition,
            "note": small_numbers_note(outcomes, m.key, small_numbers_min),
        }
        for m in QUARTERLY_REPORT
    ]


def breakdown(data):
    """(title, first column, rows) of the per-specialist (program) or per-program (region) table;
    each row: {"name", "values": [value per BREAKDOWN_TABLE], "all": [value per QUARTERLY_REPORT], "band"}."""
    if "by_specialist" in data:
        title, first, source = "By specialist", "Specialist", data["by_specialist"]
    else:
        title, first, source = "By program", "Program", data.get("by_program", [])
    rows = [
        {
            "name": row["name"],
            "values": [value_of(row["outcomes"], m.key) for m in BREAKDOWN_TABLE],
            "all": [value_of(row["outcomes"], m.key) for m in QUARTERLY_REPORT],
            "band": row["band"],
        }
        for row in source
    ]
    return title, first, rows


def table_headers():
    """The breakdown table's columns: {"label" (short), "definition"}."""
    return [{"label": heading(m, short=True), "definition": m.definition} for m in BREAKDOWN_TABLE]


def benchmark_rows(benchmarks):
    """[(label, value)] of the stored benchmark settings: each labelled by the setting's verbose name, or,
    for a setting that has none of its own (the IPS-25 suggestion bands), by its help text; never the raw
    field name ("Ips grow rate")."""
    rows = []
    for name, value in (benchmarks or {}).items():
        try:
            field = BenchmarkSettings._meta.get_field(name)
        except FieldDoesNotExist:  # a setting that no longer exists keeps its stored name
            rows.append((name, value))
            continue
        label = str(field.verbose_name)
        if label == name.replace("_", " ") and field.help_text:
            label = str(field.help_text).rstrip(".")
        rows.append((label[:1].upper() + label[1:], value))
    return rows


def quality_sections(data, *, records_visible=True):
    """The data-quality sections; without `records_visible` (trainers: reports.quarterly.quality)
    their counts only, no record ids, client record numbers or dates."""
    quality = data.get("data_quality", {})
    return [
        {
            "key": key,
            "title": measure(measure_key).label,
            "definition": measure(measure_key).definition,
            "count": quality.get(key, {}).get("count", 0),
            "records": quality.get(key, {}).get("records", []) if records_visible else [],
        }
        for key, measure_key in QUALITY_SECTIONS
    ]


def _quality_sheet(data, records_visible):
    sections = quality_sections(data, records_visible=records_visible)
    if not records_visible:
        return ("Data quality", ["Problem", "Records"], [(s["title"], s["count"]) for s in sections])
    rows = [
        (section["title"], record["id"], record["client"], record["date"], record["missing"])
        for section in sections
        for record in section["records"]
    ]
    return ("Data quality", ["Problem", "Record id", "Client record number", "Date", "Missing"], rows)


def export_sheets(report, *, records_visible=True):
    """[(title, header, rows)] for the XLSX workbook (and, flattened, the CSV)."""
    data = report.data
    scope = f"{report.scope_name} · {report.period_label} · version {report.version}"
    summary = [
        ("Report", scope),
        ("Definition version", report.definition_version),
        ("Generated", report.finished_at),
        ("Figures as of", data.get("as_of")),
        ("Employment rate denominator", data.get("denominator", {}).get("label")),
    ]
    comparison = [
        (row["measure"], row["value"], row["display"], row["benchmark"], row["status_label"], row["note"])
        for row in data.get("comparison", [])
    ]
    title, first, rows = breakdown(data)
    breakdown_rows = [[row["name"], *row["all"]] for row in rows]
    trend = [
        (t["label"], t["rate"]["numerator"], t["rate"]["denominator"], t["rate"]["percent"], t["band"]["label"])
        for t in data.get("trend", [])
    ]
    benchmarks = benchmark_rows(report.benchmarks)
    return [
        (
            "Summary",
            ["Item", "Value"],
            summary + measure_rows(data.get("totals", {}), (report.benchmarks or {}).get("small_numbers_min")),
        ),
        ("Benchmarks", ["Measure", "Value", "Shown as", "Benchmark", "Status", "Note"], comparison),
        (title, [first, *[heading(m) for m in QUARTERLY_REPORT]], breakdown_rows),
        ("Trend", ["Quarter", "Working", "Active", "Rate (%)", "Band"], trend),
        _quality_sheet(data, records_visible),
        ("Benchmark settings", ["Setting", "Value"], benchmarks),
    ]


def csv_rows(report, *, records_visible=True):
    """One flat table for the CSV: every sheet's rows with the sheet and column names."""
    for title, header, rows in export_sheets(report, records_visible=records_visible):
        for row in rows:
            for column, value in zip(header[1:], row[1:], strict=False):
                yield (title, row[0], column, value)


# ----------------------------------------------------------------------------------------------
# Trend chart geometry (SVG in templates/reports/quarterly/_trend_svg.html)
# ----------------------------------------------------------------------------------------------
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 320, 180, 10, 30, 34


def trend_chart(data, benchmarks):
    """Bars for the last quarters' employment rates and lines at the benchmark bands."""
    trend = data.get("trend", [])
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    plot_width = CHART_WIDTH - CHART_LEFT - 6
    highest = max([p["rate"]["percent"] or 0 for p in trend] + [benchmarks.get(RATE_BANDS[-1], 50)])
    top_value = min(100, 10 * (int(highest) // 10 + 1))

    def y(percent):
        return round(CHART_TOP + plot_height * (1 - percent / top_value), 1)

    slot = plot_width / max(len(trend), 1)
    bars = []
    for index, point in enumerate(trend):
        percent = point["rate"]["percent"]
        x = round(CHART_LEFT + slot * index + slot * 0.2, 1)
        bars.append(
            {
                "x": x,
                "width": round(slot * 0.6, 1),
                "y": y(percent or 0),
                "height": round(plot_height * (percent or 0) / top_value, 1),
                "label": point["code"],
                "text": "–" if percent is None else f"{percent:g}%",
                "text_y": y(percent or 0) - 3,
                "center": round(x + slot * 0.3, 1),
                "band": point["band"]["code"],
            }
        )
    lines = [
        {"y": y(benchmarks[key]), "label": f"{benchmarks[key]:g}%", "name": key.rsplit("_", 1)[-1]}
        for key in RATE_BANDS
        if key in benchmarks
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - 6,
        "base": CHART_HEIGHT - CHART_BOTTOM,
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
        "bars": bars,
        "lines": lines,
    }
