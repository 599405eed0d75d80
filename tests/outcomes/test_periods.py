"""outcomes.metrics.Period, Rate and add_months: pure date arithmetic, checked by hand."""

import datetime

import pytest

from benchmarks.models import BenchmarkSettings
from outcomes import metrics as m

D = datetime.date


def test_calendar_quarters():
    q = m.Period.quarter(2026, 1, start_month=1)
    assert (q.start, q.end, q.label, q.code, q.year, q.q) == (
        D(2026, 1, 1),
        D(2026, 3, 31),
        "2026 Q1",
        "2026Q1",
        2026,
        1,
    )
    assert q.days == 90  # 31 + 28 + 31
    assert q.weeks == pytest.approx(90 / 7)
    q4 = m.Period.quarter(2024, 4, start_month=1)
    assert (q4.start, q4.end, q4.days) == (D(2024, 10, 1), D(2024, 12, 31), 92)


def test_quarters_starting_in_july():
    # The year of a quarter is the year its Q1 starts: 2026 Q1 = Jul-Sep 2026 ... Q4 = Apr-Jun 2027.
    spans = [(p.start, p.end) for p in (m.Period.quarter(2026, q, start_month=7) for q in (1, 2, 3, 4))]
    assert spans == [
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
    ]
    assert m.Period.quarter(2026, 3, start_month=7).year == 2026
    assert m.Period.quarter(2026, 3, start_month=7).label == "2026 Q3 (Jan–Mar 2027)"
    assert m.Period.quarter_containing(D(2027, 2, 10), start_month=7).code == "2026Q3"
    assert m.Period.quarter_containing(D(2026, 6, 30), start_month=7).code == "2025Q4"
    assert m.Period.quarter_containing(D(2026, 7, 1), start_month=7).code == "2026Q1"
    # A start month that does not divide the calendar quarters: Q1 = Feb-Apr.
    feb = m.Period.quarter_containing(D(2026, 1, 31), start_month=2)
    assert (feb.code, feb.start, feb.end) == ("2025Q4", D(2025, 11, 1), D(2026, 1, 31))


@pytest.mark.django_db
def test_start_month_defaults_to_the_settings():
    settings = BenchmarkSettings.current()
    settings.quarter_start_month = 10
    settings.save()
    q = m.Period.quarter(2026, 1)
    assert (q.start, q.end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert m.Period.parse("2026Q2").start == D(2027, 1, 1)


def test_previous_and_quarters_back():
    q1 = m.Period.quarter(2026, 1, start_month=1)
    assert q1.previous().code == "2025Q4"
    assert [p.code for p in q1.quarters_back(5)] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"]
    july = m.Period.quarter(2026, 1, start_month=7)
    assert (july.previous().code, july.previous().start) == ("2025Q4", D(2026, 4, 1))
    assert m.Period.month(2026, 1).previous() == m.Period.month(2025, 12)
    custom = m.Period.custom(D(2026, 1, 10), D(2026, 1, 19))  # 10 days
    before = custom.previous()
    assert (before.start, before.end) == (D(2025, 12, 31), D(2026, 1, 9))


def test_months_and_custom_ranges():
    feb = m.Period.month(2024, 2)
    assert (feb.start, feb.end, feb.days, feb.code, feb.label) == (
        D(2024, 2, 1),
        D(2024, 2, 29),
        29,
        "2024-02",
        "February 2024",
    )
    custom = m.Period.custom(D(2026, 1, 1), D(2026, 1, 14))
    assert custom.weeks == 2.0
    assert custom.code == "2026-01-01_2026-01-14"
    assert custom.q is None
    with pytest.raises(ValueError):
        m.Period.custom(D(2026, 2, 1), D(2026, 1, 1))


def test_parse_round_trips():
    assert m.Period.parse("2026Q3", start_month=1) == m.Period.quarter(2026, 3, start_month=1)
    assert m.Period.parse("2026-q3", start_month=1).code == "2026Q3"
    assert m.Period.parse("2026-03") == m.Period.month(2026, 3)
    custom = m.Period.parse("2026-01-01_2026-02-15")
    assert (custom.start, custom.end) == (D(2026, 1, 1), D(2026, 2, 15))
    assert m.Period.parse(custom.code) == custom
    assert m.Period.parse("2026-01-01..2026-02-15") == custom
    for bad in ("", "2026Q5", "2026-13", "garbage", "2026-02-01_2026-01-01", None):
        with pytest.raises(ValueError):
            m.Period.parse(bad, start_month=1)


def test_rate():
    assert m.Rate(1, 3).value == pytest.approx(1 / 3)
    assert m.Rate(1, 3).percent == 33.3
    assert m.Rate(2, 3).percent == 66.7
    assert m.Rate(0, 0).value is None
    assert m.Rate(0, 0).percent is None
    assert m.Rate(0, 4).value == 0.0


def test_add_months():
    assert m.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert m.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert m.add_months(D(2025, 3, 31), 18) == D(2026, 9, 30)
    assert m.add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert m.add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)


@pytest.mark.django_db
def test_a_period_is_read_once_its_last_new_clients_window_has_closed():
    q1 = m.Period.quarter(2026, 1, start_month=1)
    # 31 Mar + 30 days of first-employer-contact window + 1: the window of a client enrolled on the
    # last day has closed on 1 May; a report made later reads the same day, so its figures hold.
    assert m.period_as_of(q1, today=datetime.date(2026, 11, 25)) == datetime.date(2026, 5, 1)
    assert m.period_as_of(q1, today=datetime.date(2026, 4, 5)) == datetime.date(2026, 4, 5)
    bench = BenchmarkSettings.current()
    bench.first_employer_contact_days = 60
    bench.save()
    assert m.period_as_of(q1, today=datetime.date(2026, 11, 25)) == datetime.date(2026, 5, 31)
