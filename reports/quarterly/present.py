"""Presentation of a stored quarterly snapshot: tables for the page and the exports, and the trend
chart as server-rendered SVG geometry (the PDF runs no JavaScript). Reads the snapshot only."""

# (key in Outcomes.as_dict(), label). Rates show their percent.
MEASURES = [
    ("active_caseload", "Active caseload"),
    ("working", "Working (competitive job in the quarter)"),
    ("employment_rate", "Quarterly employment rate (%)"),
    ("job_starts", "Job starts"),
    ("first_job_starts", "First job starts"),
    ("new_enrollments", "New enrollments"),
    ("closures", "Closures"),
    ("in_education", "In education"),
    ("first_contact_days_median", "Median days to first employer contact"),
    ("first_contact_within_target", "New clients with employer contact within target (%)"),
    ("employer_contacts", "Face-to-face employer contacts"),
    ("employer_contacts_per_specialist_week", "Employer contacts per specialist per week"),
    ("specialist_count", "Specialists"),
    ("caseload_at_end", "Caseload on the last day"),
    ("caseload_per_specialist", "Caseload per specialist"),
    ("jobs_held", "Competitive jobs held"),
    ("tenure_weeks_median", "Median job tenure (weeks)"),
    ("hours_20_plus", "Jobs with 20+ hours a week (%)"),
    ("hourly_wage_median", "Median hourly wage"),
]
# The shorter set of columns of the per-specialist / per-program tables on screen, short labels.
TABLE_MEASURES = [
    ("active_caseload", "Caseload"),
    ("working", "Working"),
    ("employment_rate", "Rate %"),
    ("job_starts", "Job starts"),
    ("employer_contacts_per_specialist_week", "Employer contacts / week"),
    ("caseload_at_end", "Open on last day"),
    ("first_contact_within_target", "1st contact in target %"),
]
QUALITY_SECTIONS = [
    ("enrollments_missing_dates", "Enrollments without an enrollment date (not in the caseload)"),
    ("jobs_missing_fields", "Jobs held without hours or occupation group"),
    ("contacts_missing_mode", "Client contacts without a mode"),
]


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


def measure_rows(outcomes):
    """[(label, value)] of every measure."""
    return [(label, value_of(outcomes, key)) for key, label in MEASURES]


def breakdown(data):
    """(title, first column, rows) of the per-specialist (program) or per-program (region) table;
    each row: {"name", "values": [value per TABLE_MEASURES], "all": [value per MEASURES], "band"}."""
    if "by_specialist" in data:
        title, first, source = "By specialist", "Specialist", data["by_specialist"]
    else:
        title, first, source = "By program", "Program", data.get("by_program", [])
    rows = [
        {
            "name": row["name"],
            "values": [value_of(row["outcomes"], key) for key, _ in TABLE_MEASURES],
            "all": [value_of(row["outcomes"], key) for key, _ in MEASURES],
            "band": row["band"],
        }
        for row in source
    ]
    return title, first, rows


def table_headers():
    return [label for _, label in TABLE_MEASURES]


def benchmark_rows(benchmarks):
    """[(label, value)] of the stored benchmark settings, labelled by the settings' own field names."""
    from benchmarks.models import BenchmarkSettings

    rows = []
    for name, value in (benchmarks or {}).items():
        try:
            label = BenchmarkSettings._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - a setting that no longer exists keeps its stored name
            label = name
        rows.append((str(label)[:1].upper() + str(label)[1:], value))
    return rows


def quality_sections(data):
    quality = data.get("data_quality", {})
    return [
        {
            "key": key,
            "title": title,
            "count": quality.get(key, {}).get("count", 0),
            "records": quality.get(key, {}).get("records", []),
        }
        for key, title in QUALITY_SECTIONS
    ]


def export_sheets(report):
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
    quality = [
        (section["title"], record["id"], record["client"], record["date"], record["missing"])
        for section in quality_sections(data)
        for record in section["records"]
    ]
    benchmarks = benchmark_rows(report.benchmarks)
    return [
        (
            "Summary",
            ["Item", "Value"],
            summary + [(label, value) for label, value in measure_rows(data.get("totals", {}))],
        ),
        ("Benchmarks", ["Measure", "Value", "Shown as", "Benchmark", "Status", "Note"], comparison),
        (title, [first, *[label for _, label in MEASURES]], breakdown_rows),
        ("Trend", ["Quarter", "Working", "Active", "Rate (%)", "Band"], trend),
        ("Data quality", ["Problem", "Record id", "Client record number", "Date", "Missing"], quality),
        ("Benchmark settings", ["Setting", "Value"], benchmarks),
    ]


def csv_rows(report):
    """One flat table for the CSV: every sheet's rows with the sheet and column names."""
    for title, header, rows in export_sheets(report):
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
    highest = max([p["rate"]["percent"] or 0 for p in trend] + [benchmarks.get("quarterly_rate_excellent", 50)])
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
        {"y": y(benchmarks[key]), "label": f"{benchmarks[key]:g}%", "name": name}
        for key, name in (
            ("quarterly_rate_minimal", "minimal"),
            ("quarterly_rate_average", "average"),
            ("quarterly_rate_excellent", "excellent"),
        )
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
