"""The quarterly report's table of every measure flags a rate over fewer clients than the snapshot's
small_numbers_min (the dashboard and the benchmark rows already do): on the page and in the exports'
summary, without changing the figure."""

from reports.quarterly import present

# Hand-made totals: 3 new clients (2 contacted within 30 days), 12 active clients (5 working).
TOTALS = {
    "first_contact_within_target": {"numerator": 2, "denominator": 3, "percent": 66.7},
    "employment_rate": {"numerator": 5, "denominator": 12, "percent": 41.7},
    "active_caseload": 12,
}


def test_a_rate_over_too_few_clients_is_flagged_on_the_page():
    table = {row["label"]: row for row in present.measure_table(TOTALS, 10)}
    flagged = [row for row in table.values() if row["note"]]
    assert len(flagged) == 1
    assert flagged[0]["value"] == 66.7 and flagged[0]["note"] == "Not reliable: fewer than 10 clients"
    # 12 clients is enough: the employment rate keeps no note.
    assert all(row["note"] == "" for row in table.values() if row["value"] == 41.7)


def test_the_exports_summary_says_it_in_the_label_and_keeps_the_number():
    rows = dict(present.measure_rows(TOTALS, 10))
    flagged = {label: value for label, value in rows.items() if "Not reliable" in label}
    assert list(flagged.values()) == [66.7]
    assert list(flagged)[0].endswith("(Not reliable: fewer than 10 clients)")


def test_without_a_threshold_in_the_snapshot_nothing_is_flagged():
    assert all(row["note"] == "" for row in present.measure_table(TOTALS, None))
    assert not any("Not reliable" in label for label, _ in present.measure_rows(TOTALS))
