"""reports/exports.py: CSV and XLSX downloads, formula injection neutralised, numbers kept numeric."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from core.exports import csv_response, safe_cell, table_response, xlsx_response


def parse_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def load_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil.invalid")', '\'=HYPERLINK("http://evil.invalid")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain name", "Plain name"),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (-3, -3),
        (2.5, 2.5),
        (Decimal("-1.50"), Decimal("-1.50")),
        (None, None),
        (True, True),
        (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
    assert type(safe_cell(value)) is type(expected)


def test_csv_response_parses_and_neutralises_formulas():
    response = csv_response(
        "caseload 2026Q1",
        ["Specialist", "Caseload", "Rate %"],
        [["=cmd|' /C calc'!A0", 12, 41.7], ["Ann Bee", 0, None]],
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="caseload-2026Q1.csv"'
    rows = parse_csv(response)
    assert rows == [
        ["Specialist", "Caseload", "Rate %"],
        ["'=cmd|' /C calc'!A0", "12", "41.7"],
        ["Ann Bee", "0", ""],
    ]


def test_csv_accepts_a_generator_and_dates():
    rows = ((d, i) for i, d in enumerate([datetime.date(2026, 1, 5), datetime.date(2026, 2, 6)]))
    assert parse_csv(csv_response("dates.csv", ["Day", "N"], rows))[1:] == [["2026-01-05", "0"], ["2026-02-06", "1"]]


def test_xlsx_response_keeps_numbers_numeric_and_text_safe():
    aware = timezone.make_aware(datetime.datetime(2026, 4, 1, 9, 30))
    response = xlsx_response(
        "dashboard.xlsx",
        [
            ("Specialists", ["Name", "Caseload", "Rate"], [["@evil", 18, Decimal("44.4")], ["Cal Dee", 20, 50.0]]),
            ("Trend: 8 quarters [%]", ["Quarter", "Rate", "When"], [["2026Q1", None, aware], ["-x\x01y", 31, None]]),
            ("Specialists", ["Dup"], []),
        ],
    )
    assert response["Content-Disposition"] == 'attachment; filename="dashboard.xlsx"'
    book = load_xlsx(response)
    assert book.sheetnames == ["Specialists", "Trend 8 quarters %", "Specialists (2)"]
    first = list(book["Specialists"].iter_rows(values_only=True))
    assert first == [("Name", "Caseload", "Rate"), ("'@evil", 18, 44.4), ("Cal Dee", 20, 50)]
    assert isinstance(first[1][1], int)
    trend = list(book.worksheets[1].iter_rows(values_only=True))
    assert trend[1][:2] == ("2026Q1", None)
    assert trend[1][2] == datetime.datetime(2026, 4, 1, 9, 30)
    assert trend[2][0] == "'-xy"  # control character dropped, formula prefix neutralised
    # A formula-looking text cell is stored as text, not as a formula.
    assert book["Specialists"]["A2"].data_type == "s"


def test_xlsx_with_no_sheets_is_still_a_workbook():
    assert load_xlsx(xlsx_response("empty", [])).sheetnames == ["Empty"]


def test_table_response_dispatches_and_refuses_unknown_formats():
    assert table_response("csv", "t", "T", ["A"], [[1]])["Content-Type"].startswith("text/csv")
    xlsx = table_response("xlsx", "t", "T", ["A"], iter([[1]]))
    assert list(load_xlsx(xlsx)["T"].iter_rows(values_only=True)) == [("A",), (1,)]
    with pytest.raises(ValueError):
        table_response("pdf", "t", "T", ["A"], [])
