"""Reporting periods (quarters with a configurable start month, months, custom ranges) and rates.

Re-exported by `outcomes.metrics`; import them from there.

Quarters start in `BenchmarkSettings.quarter_start_month`: Q1 starts in that month and the
`year` of a quarter is the calendar year in which its Q1 starts. With a start month of 7,
2026 Q1 is Jul-Sep 2026, Q2 Oct-Dec 2026, Q3 Jan-Mar 2027 and Q4 Apr-Jun 2027.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from benchmarks.models import BenchmarkSettings

QUARTER = "quarter"
MONTH = "month"
CUSTOM = "custom"

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_CUSTOM_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:_|\.\.|/)\s*(\d{4}-\d{2}-\d{2})\s*$")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months, clamped to the end of a shorter month
    (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _default_start_month() -> int:
    return BenchmarkSettings.current().quarter_start_month


def _short(day: datetime.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


@dataclass(frozen=True)
class Period:
    """An inclusive range of days [start, end] with a human label.

    Build one with `Period.quarter`, `Period.quarter_containing`, `Period.month`,
    `Period.custom` or `Period.parse`; `code` round-trips through `Period.parse`
    (quarters need the same start month).
    """

    start: datetime.date
    end: datetime.date
    label: str = ""
    kind: str = field(default=CUSTOM, compare=False)
    q: int | None = field(default=None, compare=False)
    quarter_year: int | None = field(default=None, compare=False, repr=False)
    start_month: int | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")
        if not self.label:
            object.__setattr__(self, "label", f"{_short(self.start)} – {_short(self.end)}")

    # Constructors -------------------------------------------------------------------------
    @classmethod
    def quarter(cls, year: int, q: int, start_month: int | None = None) -> Period:
        """Quarter `q` (1-4) of quarter-year `year`; Q1 starts in `start_month`
        (default: BenchmarkSettings.current().quarter_start_month)."""
        if q not in (1, 2, 3, 4):
            raise ValueError("The quarter must be 1, 2, 3 or 4.")
        start_month = start_month or _default_start_month()
        if not 1 <= start_month <= 12:
            raise ValueError("The quarter start month must be between 1 and 12.")
        first = add_months(datetime.date(year, start_month, 1), 3 * (q - 1))
        last = add_months(first, 2)
        end = _month_end(last.year, last.month)
        label = f"{year} Q{q}" if start_month == 1 else f"{year} Q{q} ({first:%b}–{end:%b} {end.year})"
        return cls(first, end, label, QUARTER, q, year, start_month)

    @classmethod
    def quarter_containing(cls, day: datetime.date, start_month: int | None = None) -> Period:
        """The quarter (with Q1 starting in `start_month`) that contains `day`."""
        start_month = start_month or _default_start_month()
        offset = (day.month - start_month) % 12
        year = day.year if day.month >= start_month else day.year - 1
        return cls.quarter(year, offset // 3 + 1, start_month)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = datetime.date(year, month, 1)
        return cls(first, _month_end(year, month), f"{first:%B} {year}", MONTH)

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date, label: str = "") -> Period:
        return cls(start, end, label, CUSTOM)

    @classmethod
    def parse(cls, text: object, start_month: int | None = None) -> Period:
        """'2026Q3' / '2026-Q3' (a quarter), '2026-03' (a month) or '2026-01-01_2026-03-31'
        (a custom range; '..' also separates). Raises ValueError on anything else."""
        text = str(text or "")
        if match := _QUARTER_RE.match(text):
            return cls.quarter(int(match[1]), int(match[2]), start_month)
        if match := _MONTH_RE.match(text):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise ValueError(f"Not a month: {text!r}")
            return cls.month(int(match[1]), month)
        if match := _CUSTOM_RE.match(text):
            return cls.custom(datetime.date.fromisoformat(match[1]), datetime.date.fromisoformat(match[2]))
        raise ValueError(f"Not a period: {text!r} (expected e.g. 2026Q3, 2026-03 or 2026-01-01_2026-03-31)")

    # Properties -----------------------------------------------------------------------------
    @property
    def year(self) -> int:
        """The quarter-year for a quarter (the year its Q1 starts), else the start's year."""
        if self.kind == QUARTER and self.quarter_year is not None:
            return self.quarter_year
        return self.start.year

    @property
    def code(self) -> str:
        if self.kind == QUARTER:
            return f"{self.quarter_year}Q{self.q}"
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period of the same kind and length just before this one."""
        if self.kind == QUARTER and self.q is not None and self.quarter_year is not None:
            if self.q == 1:
                return Period.quarter(self.quarter_year - 1, 4, self.start_month)
            return Period.quarter(self.quarter_year, self.q - 1, self.start_month)
        if self.kind == MONTH:
            before = self.start - datetime.timedelta(days=1)
            return Period.month(before.year, before.month)
        end = self.start - datetime.timedelta(days=1)
        return Period.custom(end - datetime.timedelta(days=self.days - 1), end)

    def quarters_back(self, n: int) -> list[Period]:
        """`n` periods ending with this one, oldest first (for a quarter: the last n quarters)."""
        periods = [self]
        while len(periods) < n:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind,
        }

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Rate:
    """numerator / denominator; `value` is None (not 0) when there is nothing to divide by."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "percent": self.percent,
        }

    def __str__(self) -> str:
        return "–" if self.percent is None else f"{self.percent}% ({self.numerator}/{self.denominator})"
