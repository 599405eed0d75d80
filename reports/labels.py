"""Headings of figures in tables and exports, worded by the measure catalogue (`outcomes.measures`)."""

from __future__ import annotations

from outcomes.measures import Measure, Unit, measure


def heading(key: str | Measure, *, short: bool = False) -> str:
    """The measure's label (or short label) as a column heading; a percentage says so, since the
    cell holds a bare number."""
    m = key if isinstance(key, Measure) else measure(key)
    label = m.short_label if short else m.label
    if m.unit == Unit.PERCENT and not label.endswith("%"):
        label += " (%)"
    return label
