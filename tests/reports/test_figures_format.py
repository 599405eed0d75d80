"""One number format and rounding rule for the dashboards and the quarterly report, and the report's
first-contact row judged on the measure it displays (issue 12, items 1 and 7)."""

import pytest

from benchmarks.models import BenchmarkSettings
from reports.dashboard.format import fmt_median_days, fmt_number
from reports.quarterly.snapshots import comparison_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(30.5, 0, "31"), (2.5, 0, "3"), (2.25, 1, "2.3"), (30.5, 1, "30.5"), (9.0, 1, "9"), (3, 1, "3"), (None, 1, "–")],
)
def test_numbers_round_half_up_without_trailing_zeros(value, digits, text):
    # Half up, not Python's half to even (round(2.5) == 2, f"{30.5:.0f}" == "30").
    assert fmt_number(value, digits) == text


def test_median_days_more_than_n():
    assert fmt_median_days(None, 30) == "> 30"
    assert fmt_median_days(30.5, None) == "30.5"


def _data(median, over, within):
    rate = {"numerator": 0, "denominator": 0, "percent": None}
    totals = {
        "employment_rate": rate,
        "employer_contacts_per_specialist_week": None,
        "caseload_per_specialist": None,
        "employer_contacts": 0,
        "specialist_count": 0,
        "first_contact_days_median": median,
        "first_contact_days_median_over": over,
        "first_contact_within_target": within,
    }
    return {
        "totals": totals,
        "cohort": {"rate": rate, "months": 18, "benchmark": 60, "follow_up_complete": True, "period": {"label": "x"}},
        "band": {"code": "no_data", "label": "No data"},
        "period": {"label": "2025 Q3"},
        "denominator": {"code": "all_active", "label": "all active clients"},
    }


def test_first_contact_row_shows_the_median_and_is_judged_on_it():
    bench = BenchmarkSettings.current()  # 30 days
    # Riverbend 2025 Q3 shape: 7 of 20 new clients contacted within 30 days, the median among the
    # uncontacted -> displayed "> 30", Below (the old row showed the share and said Meets from a
    # median of 9 over the contacted clients only).
    within = {"numerator": 7, "denominator": 20, "percent": 35.0}
    row = {r["key"]: r for r in comparison_rows(_data(None, 30, within), bench)}["first_contact"]
    assert row["display"] == "> 30" and row["status"] == "below" and row["status_label"] == "Below"
    assert "35% (7/20)" in row["note"]
    # A median of 30.5 days is over 30: Below, displayed 30.5; 30 days exactly meets.
    row = {r["key"]: r for r in comparison_rows(_data(30.5, None, within), bench)}["first_contact"]
    assert (row["display"], row["status"]) == ("30.5", "below")
    row = {r["key"]: r for r in comparison_rows(_data(30.0, None, within), bench)}["first_contact"]
    assert (row["display"], row["status"]) == ("30", "meets")


def test_benchmark_settings_section_has_no_raw_field_names():
    from outcomes.metrics import benchmark_snapshot
    from reports.quarterly.present import benchmark_rows

    rows = dict(benchmark_rows(benchmark_snapshot()))
    # Two settings' names read as labels already; every other raw name ("Ips grow rate") is gone.
    raw = {name.replace("_", " ").capitalize() for name in benchmark_snapshot()}
    assert raw & set(rows) == {"Employment rate denominator", "Quarter start month"}
    assert "Ips grow rate" not in rows
    assert rows["IPS Grow employment rate (%)"] == 40.0
    assert rows["Fewest clients a rate is judged on"] == 10
    assert rows["Item 1: at most this -> anchor 4"] == 25  # a suggestion band: its help text
