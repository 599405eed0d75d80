"""The dashboards' tables as CSV/XLSX: headers worded by the measure catalogue, one row shape each."""

from __future__ import annotations

from typing import Any

from reports.labels import heading

from .cards import CARD_FIGURES, Card
from .filters import Filters
from .format import rounded
from .supervisor import CHARTS, CONTACT_WEEKS, Dashboard

Rows = list[list[Any]]
Table = tuple[str, list[str], Rows]  # (title, header, rows)
DATASETS = ("cards", "specialists", *CHARTS)

CARDS_HEADER = ["Measure", "This quarter", "Previous quarter", "Change", "Detail", "Definition"]

SPECIALIST_HEADER = [
    "Specialist",
    heading("active_caseload"),
    f"{heading('employer_contacts_per_specialist_week')} (last {CONTACT_WEEKS} weeks)",
    heading("working"),
    heading("employment_rate"),
    "Benchmark band",
    heading("job_starts"),
    "Clients with open alerts",
]

REGION_HEADER = [
    "Program",
    "Agency",
    heading("active_caseload"),
    heading("working"),
    heading("employment_rate"),
    "Benchmark band",
    heading("job_starts"),
    f"Previous quarter: {heading('employment_rate')}",
    "Change (points)",
    "Fidelity total",
    "Fidelity level",
    "Fidelity visit",
]


def cards_rows(cards: list[Card]) -> Rows:
    # The band (e.g. "Not reliable: fewer than 10 clients") travels with the detail, as on the card.
    return [
        [
            c.label,
            c.raw,
            c.previous_raw,
            c.change["value"],
            " · ".join(filter(None, [c.band and c.band["label"], c.note])),
            c.definition,
        ]
        for c in cards
    ]


def specialist_rows(rows: list[dict[str, Any]]) -> Rows:
    return [
        [
            str(r["specialist"]),
            r["caseload"],
            rounded(r["contacts_week"]),
            r["working"],
            r["rate"].percent,
            r["band"]["label"],
            r["starts"],
            r["alerts"] or 0,
        ]
        for r in rows
    ]


def region_rows(rows: list[dict[str, Any]]) -> Rows:
    return [
        [
            r["program"].name,
            r["program"].agency.name,
            r["caseload"],
            r["working"],
            r["rate"].percent,
            r["band"]["label"],
            r["starts"],
            r["previous_rate"].percent,
            r["trend"]["value"],
            r["fidelity_total"],
            r["fidelity_level"].name if r["fidelity_level"] else None,
            r["review"].visit_start if r["review"] else None,
        ]
        for r in rows
    ]


def dashboard_tables(filters: Filters, datasets: tuple[str, ...] = DATASETS) -> dict[str, Table]:
    """{dataset: (title, header, rows)} of the dashboard's tables named (DATASETS: all of them), computing
    only the figures those tables show."""
    board = Dashboard(filters, now_figures=CARD_FIGURES)
    tables: dict[str, Table] = {}
    for dataset in datasets:
        if dataset == "cards":
            tables[dataset] = (f"Summary {filters.period.code}", CARDS_HEADER, cards_rows(board.cards()))
        elif dataset == "specialists":
            tables[dataset] = ("By specialist", SPECIALIST_HEADER, specialist_rows(board.specialist_rows()))
        else:
            chart = board.chart(dataset)
            tables[dataset] = (chart.title, chart.header(), chart.export_rows())
    return tables
