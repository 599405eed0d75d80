"""Row sink for the scale dataset: COPY on PostgreSQL, executemany elsewhere (small sizes, tests).

Rows carry explicit primary keys taken from each table's current maximum, so children can name their
parents without a round trip; the PostgreSQL identity sequences are moved past them at the end.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import connection

Row = tuple[Any, ...]
REBUILT_INDEXES = ("clients_contact", "jobs_employercontact", "jobs_employercontact_clients")
# Parents before children: each COPY is checked against the rows already written.
TABLE_ORDER = [
    "programs_region",
    "programs_user",
    "programs_agency",
    "programs_program",
    "programs_membership",
    "jobs_employer",
    "clients_client",
    "clients_enrollment",
    "clients_contact",
    "jobs_jobstart",
    "jobs_followalongsupport",
    "clients_benefitscounselingsession",
    "clients_educationactivity",
    "jobs_employercontact",
    "jobs_employercontact_clients",
]


def columns(names: str) -> tuple[str, ...]:
    """A table's column list written as one string of names."""
    return tuple(names.split())


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        # Synthetic text never holds tabs or newlines; backslashes would still need doubling.
        return value.replace("\\", "\\\\")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class Sink:
    """Buffers rows per table; `flush` writes the tables in TABLE_ORDER, so foreign keys are satisfied
    when each statement ends."""

    def __init__(self, chunk_rows: int = 200_000) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.chunk_rows = chunk_rows
        self.columns: dict[str, Sequence[str]] = {}
        self.rows: dict[str, list[Row]] = {table: [] for table in TABLE_ORDER}
        self.buffered = 0
        self.written: dict[str, int] = {}
        self._next_id: dict[str, int] = {}
        self.unchecked = False
        self.dropped: list[tuple[str, str]] = []

    def next_id(self, table: str) -> int:
        """The next free primary key of `table` (read once, then counted here)."""
        if table not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # nosec B608: table names are ours
                self._next_id[table] = int(cursor.fetchone()[0]) + 1
        value = self._next_id[table]
        self._next_id[table] = value + 1
        return value

    def add(self, table: str, columns: Sequence[str], row: Row) -> None:
        self.columns.setdefault(table, columns)
        self.rows[table].append(row)
        self.buffered += 1
        if self.buffered >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for table, rows in self.rows.items():
                if not rows:
                    continue
                columns = self.columns[table]
                if self.postgres:
                    text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
                    # The raw psycopg2 cursor: Django's wrapper has no copy_expert.
                    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # nosec B608: our names
                        rows,
                    )
                self.written[table] = self.written.get(table, 0) + len(rows)
                rows.clear()
        self.buffered = 0

    def start(self) -> None:
        """On PostgreSQL as a superuser, COPY without the per-row foreign-key triggers (about three times
        faster); `finish` then checks every foreign key of the tables written in one query each."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            # Plain indexes of the biggest tables are rebuilt once at the end: faster than row by row.
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [list(REBUILT_INDEXES)],
            )
            self.dropped = cursor.fetchall()
            for name, _ in self.dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            self.unchecked = bool(cursor.fetchone()[0])
            if self.unchecked:
                cursor.execute("SET session_replication_role = replica")

    def restore_indexes(self) -> None:
        """Recreates the indexes `start` dropped (also after a failed run)."""
        with connection.cursor() as cursor:
            for _, definition in self.dropped:
                cursor.execute(definition)
        self.dropped = []

    def finish(self) -> None:
        """Writes what is left and, on PostgreSQL, checks the foreign keys skipped and moves each identity
        sequence past the rows written."""
        self.flush()
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            if self.unchecked:
                cursor.execute("SET session_replication_role = DEFAULT")
                _check_foreign_keys(cursor, [t for t in TABLE_ORDER if self.written.get(t)])
            for table in self.columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608: our table names
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _check_foreign_keys(cursor: Any, tables: list[str]) -> None:
    """Every foreign key of `tables` names an existing row (what the skipped triggers would have checked)."""
    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table in tables:
        for field in models[table]._meta.concrete_fields:
            related = field.related_model
            if related is None or isinstance(related, str):
                continue
            target = related._meta.db_table
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} t LEFT JOIN {target} p ON p.id = t.{field.column} "  # nosec B608
                f"WHERE t.{field.column} IS NOT NULL AND p.id IS NULL"
            )
            orphans = cursor.fetchone()[0]
            if orphans:
                raise RuntimeError(f"{orphans} rows of {table}.{field.column} name no {target} row")
