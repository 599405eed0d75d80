"""Reading a CSV or XLSX file into rows, mapping its headers to a kind's columns, and turning cell
values into Python values (with an error message naming what was expected)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .kinds import Column, Kind, known_headers, normalise

MAX_ROWS = 50_000
IGNORE = ""  # a mapping of a header to nothing: the column is not read


class FileError(ValueError):
    """The file cannot be read at all (not a row's problem)."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read(name: str, content: bytes) -> Sheet:
    if name.lower().endswith(".xlsx"):
        return _xlsx(content)
    if name.lower().endswith(".csv"):
        return _csv(content)
    raise FileError("Upload a .csv or .xlsx file.")


def _csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # spreadsheets saved as "CSV" on Windows
    lines = list(csv.reader(io.StringIO(text)))
    return _sheet(lines)


def _xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise FileError("This is not a readable .xlsx file.") from exc
    try:
        lines = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return _sheet(lines)


def _sheet(lines: list[list[Any]]) -> Sheet:
    if not lines:
        raise FileError("The file is empty.")
    headers = [str(h).strip() if h is not None else "" for h in lines[0]]
    rows = [
        (number, cells) for number, cells in enumerate(lines[1:], start=2) if any(_blank(c) is False for c in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise FileError(f"At most {MAX_ROWS:,} rows in one file: split it.")
    return Sheet(headers, rows)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Mapping:
    columns: dict[str, int]  # column name -> index in the row
    unknown: list[str]  # headers neither known nor mapped
    missing: list[str]  # required columns no header maps to


def map_headers(kind: Kind, headers: list[str], chosen: dict[str, str] | None = None) -> Mapping:
    """Headers matched by name or alias (case and spacing ignored); `chosen` maps the others
    (header -> column name, or "" to ignore one)."""
    known = known_headers(kind)
    chosen = {normalise(h): c for h, c in (chosen or {}).items()}
    columns: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        name = chosen.get(key, known.get(key))
        if name is None:
            unknown.append(header)
        elif name != IGNORE and name not in columns:
            columns[name] = index
    missing = [name for name in kind.required if name not in columns]
    return Mapping(columns, unknown, missing)


TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


def convert(column: Column, value: Any) -> Any:
    """The cell's value for `column`; raises ValueError with a message for the person fixing the file."""
    if _blank(value):
        if column.required:
            raise ValueError("Required.")
        return None
    if column.type == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” is not a date: write YYYY-MM-DD.") from None
    if column.type == "bool":
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(f"“{value}”: write yes or no.")
    if column.type == "int":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a whole number.") from None
        if number != number.to_integral_value() or not 0 <= number <= 32767:
            raise ValueError(f"“{value}” is not a whole number from 0 to 32767.")
        return int(number)
    if column.type == "decimal":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a number.") from None
        if not number.is_finite() or number < 0 or number >= 100_000:
            raise ValueError(f"“{value}” is not a number from 0 to 99999.")
        step = Decimal(1).scaleb(-column.places)
        if number != number.quantize(step):  # refused, not rounded: an import never changes a figure
            raise ValueError(f"“{value}”: at most {column.places} digit(s) after the point.")
        return number.quantize(step)
    if column.type == "choice":
        assert column.choices is not None
        text = normalise(value)
        for choice_value, label in column.choices.choices:
            if text in (normalise(choice_value), normalise(label)):
                return choice_value
        allowed = ", ".join(str(v) for v in column.choices.values)
        raise ValueError(f"“{value}” is not one of: {allowed}.")
    if column.type == "list":
        return [part.strip() for part in str(value).split(";") if part.strip()]
    return str(value).strip()
