"""CSV and XLSX downloads shared by every export (dashboards, quarterly reports, fidelity).

Every cell goes through `safe_cell`, so a text value that a spreadsheet would run as a formula
(`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`) is stored as text, in any locale: a cell that starts with
a formula character, or holds one after a list separator (`a;=cmd|...`, `,=1+1`: Excel set to a `;`
separator splits there and runs the rest), gets a leading single quote (defusedcsv's rules). CSV
text cells are always double-quoted, so no separator inside one splits it. Numbers stay numbers (so
sums and charts work in the spreadsheet); dates stay dates.

    csv_response("caseload-2026Q2.csv", ["Specialist", "Caseload"], rows)
    xlsx_response("dashboard-2026Q2.xlsx", [("Caseload", ["Specialist", "Caseload"], rows), ...])

CSV files start with a UTF-8 byte-order mark so that Excel reads accented names correctly:
parse them with `content.decode("utf-8-sig")`. Callers audit the download themselves
(`audit.services.record(request, Action.EXPORT, obj, detail=...)`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

# Characters that make a spreadsheet treat a text cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A list separator of some locale (comma, semicolon, tab, pipe, a line break), then a formula
# character, perhaps after spaces: where a spreadsheet splits the cell, the rest starts a formula.
_FORMULA_AFTER_SEPARATOR = re.compile(r"[,;\t|\r\n]\s*[=+\-@]")
NUMBER_TYPES = (int, float, Decimal)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_FORBIDDEN = re.compile(r"[^A-Za-z0-9._-]+")

Row = Sequence[Any]
# (sheet title, header, rows) of one sheet of a workbook.
Sheet = tuple[str, Row, Iterable[Row]]


def safe_cell(value: Any) -> Any:
    """A value that is safe to put in a CSV or XLSX cell.

    None -> None (an empty cell); numbers, booleans, dates -> unchanged; anything else -> text,
    with a single quote in front when it starts (leading spaces ignored: some importers trim them)
    with `=`, `+`, `-`, `@`, a tab or a carriage return, or holds a list separator followed by one.
    """
    if value is None or isinstance(value, bool | datetime.date | datetime.time):
        return value
    if isinstance(value, NUMBER_TYPES):
        return value
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_PREFIXES) or _FORMULA_AFTER_SEPARATOR.search(text):
        return "'" + text
    return text


def _filename(filename: str, extension: str) -> str:
    stem = filename[: -len(extension)] if filename.lower().endswith(extension) else filename
    stem = _FILENAME_FORBIDDEN.sub("-", stem).strip("-.") or "export"
    return f"{stem}{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    """A CSV download: one header row, then `rows` (any iterable of sequences)."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response.write("\ufeff")
    # Text quoted, numbers bare (still numbers in the spreadsheet): a `;` or tab inside a quoted cell
    # cannot split it in a locale whose list separator it is.
    writer = csv.writer(response, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_csv_text(safe_cell(cell)) for cell in header])
    for row in rows:
        writer.writerow([_csv_text(safe_cell(cell)) for cell in row])
    return _attachment(response, _filename(filename, ".csv"))


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _cut_at_word(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after the last whole word that fits (a single word longer than
    the limit is cut inside it: there is nothing better)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" -–·,;(") or text[:limit]


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).split()).strip("'") or "Sheet"
    candidate, n = _cut_at_word(base, 31), 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = _cut_at_word(base, 31 - len(suffix)) + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = safe_cell(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # Excel has no time zones: local time
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The bytes of a workbook with one sheet per `(title, header, rows)`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title, used))
        for index, cell in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(cell)) + 4))
        header_cells = []
        for cell in header:
            styled = WriteOnlyCell(sheet, value=_xlsx_value(cell))
            styled.font = bold
            header_cells.append(styled)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(cell) for cell in row])
    if not used:
        workbook.create_sheet(title="Empty")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    """An XLSX download with one sheet per `(title, header, rows)`; numbers stay numeric."""
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, _filename(filename, ".xlsx"))


def table_response(export_format: str, filename: str, title: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    """One table as `csv` or `xlsx` (anything else is a ValueError)."""
    if export_format == "csv":
        return csv_response(filename, header, rows)
    if export_format == "xlsx":
        return xlsx_response(filename, [(title, header, list(rows))])
    raise ValueError(f"Unknown export format {export_format!r}")
