"""core/exports.py: no cell of a CSV or XLSX export can become a formula, whatever the spreadsheet's
locale (list separator `,`, `;` or tab)."""

import csv
import io

import openpyxl
import pytest

from core.exports import csv_response, safe_cell, xlsx_response

FORMULAS = ["=1+1", ";=cmd|' /C calc'!A0", ",=1+1", "-2+3", "@SUM(1)", "+1", "\t=1", "\r=1", " =1+1"]


@pytest.mark.parametrize(
    "value, expected",
    [
        (";=cmd|' /C calc'!A0", "';=cmd|' /C calc'!A0"),
        (",=1+1", "',=1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("Ann;=cmd|' /C calc'!A0", "'Ann;=cmd|' /C calc'!A0"),
        ("Ann, +1", "'Ann, +1"),
        ("Ann\t@SUM(1)", "'Ann\t@SUM(1)"),
        ("Ann\n=1", "'Ann\n=1"),
        ("  =1+1", "'  =1+1"),
        # Harmless text stays as written.
        ("a=b", "a=b"),
        ("Smith; Jones", "Smith; Jones"),
        ("2026-11-30", "2026-11-30"),
    ],
)
def test_safe_cell_neutralises_a_formula_in_any_locale(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_csv_cell_starts_a_formula_whatever_the_list_separator(delimiter):
    response = csv_response("x.csv", ["Name", "N"], [[value, 1] for value in FORMULAS])
    text = response.content.decode("utf-8-sig")
    # A spreadsheet set to `delimiter` honours the double quotes; every cell it sees is text, not a formula.
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    assert cells
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_csv_reads_back_with_the_quote_and_numbers_stay_bare():
    response = csv_response("x.csv", ["Name", "N"], [[";=cmd|' /C calc'!A0", 7], [",=1+1", 2.5]])
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "N"],
        ["';=cmd|' /C calc'!A0", "7"],
        ["',=1+1", "2.5"],
    ]
    assert "\"';=cmd|' /C calc'!A0\",7" in text  # text quoted, the number bare


def test_xlsx_cells_are_text_not_formulas():
    response = xlsx_response("x.xlsx", [("S", ["Name"], [[value] for value in FORMULAS])])
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["S"]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # XML reads a carriage return back as a line feed.
    assert values == ["'" + value.replace("\r", "\n") for value in FORMULAS]
    assert {cell.data_type for (cell,) in sheet.iter_rows(min_row=2)} == {"s"}
