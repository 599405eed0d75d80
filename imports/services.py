"""Running an import: every row through the domain's services inside one transaction, each row in
its own savepoint so that one refused row is reported (row number and column) and the others go on.

A dry run, and a real run with any refused row, roll the whole transaction back: nothing is saved.
A real run without errors commits every row at once (all or nothing). Large files run as a Celery
task (`imports.tasks.run_job`) that reports its progress on the ImportJob row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError, connection, connections, transaction
from django.http import Http404
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation
from programs.access import Capability, require
from programs.models import Program, User

from .kinds import KINDS
from .models import ImportJob, ImportStatus
from .reading import FileError, convert, map_headers, read
from .rows import FIELD_COLUMNS, HANDLERS, Context

CAPABILITY = Capability.MANAGE_PROGRAM  # program staff who run the program: supervisors (and administrators)
ASYNC_ROWS = 2000  # more rows than this run as a Celery task
PROGRESS_EVERY = 250


@dataclass
class RowResult:
    row: int
    action: str  # create, update, unchanged, error
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


@dataclass
class Outcome:
    kind: str
    dry_run: bool
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    saved: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(r.action for r in self.rows))

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "saved": self.saved,
            "file_errors": self.file_errors,
            "counts": self.counts,
            "rows": [{"row": r.row, "action": r.action, "errors": r.errors} for r in self.rows],
        }


class _RollBack(Exception):
    pass


def _errors(exc: RuleViolation) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errors in exc.error_dict.items():
            column = "" if name == NON_FIELD_ERRORS else FIELD_COLUMNS.get(name, name)
            out += [(column, message) for error in errors for message in error.messages]
        return out
    return [("", message) for message in exc.messages]


def run_import(
    kind: str,
    name: str,
    content: bytes,
    *,
    user: User,
    program: Program,
    dry_run: bool,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Check (dry run) or import a file of `kind` for `program`, as `user`."""
    require(user, CAPABILITY, program)
    spec = KINDS[kind]
    outcome = Outcome(kind, dry_run)
    try:
        sheet = read(name, content)
    except FileError as exc:
        outcome.file_errors.append(str(exc))
        return outcome
    columns = map_headers(spec, sheet.headers, mapping)
    if columns.unknown:
        outcome.file_errors.append("Map or ignore these columns: " + ", ".join(columns.unknown) + ".")
    if columns.missing:
        outcome.file_errors.append("Required columns missing: " + ", ".join(columns.missing) + ".")
    if outcome.file_errors:
        return outcome
    ctx = Context(program, user)
    handler = HANDLERS[kind]
    try:
        with transaction.atomic():
            for done, (number, cells) in enumerate(sheet.rows, start=1):
                outcome.rows.append(_row(spec, columns.columns, number, cells, handler, ctx))
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, len(sheet.rows))
            if dry_run or outcome.has_errors:
                raise _RollBack
            record(
                None,
                Action.CREATE,
                program,
                user=user,
                detail={"import": kind, "file": name[:200], "rows": len(sheet.rows), **outcome.counts},
            )
            outcome.saved = True
    except _RollBack:
        pass
    return outcome


def _row(spec: Any, columns: dict[str, int], number: int, cells: list[Any], handler: Any, ctx: Context) -> RowResult:
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for column in spec.columns:
        index = columns.get(column.name)
        raw = cells[index] if index is not None and index < len(cells) else None
        try:
            values[column.name] = convert(column, raw)
        except ValueError as exc:
            errors.append((column.name, str(exc)))
    if errors:
        return RowResult(number, "error", errors)
    try:
        with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
            return RowResult(number, handler(values, ctx))
    except RuleViolation as exc:
        return RowResult(number, "error", _errors(exc))
    except Http404:
        return RowResult(number, "error", [("", "A record this row names is not in your program.")])


# --- Import jobs (the page and the Celery task) -----------------------------------------------------


def create_job(*, user: User, program: Program, kind: str, name: str, content: bytes) -> ImportJob:
    require(user, CAPABILITY, program)
    if kind not in KINDS:
        raise RuleViolation({"kind": "Choose what the file holds."})
    try:
        sheet = read(name, content)
    except FileError as exc:
        raise RuleViolation({"file": str(exc)}) from exc
    with transaction.atomic():
        job = ImportJob.objects.create(
            program=program, user=user, kind=kind, filename=name[:200], content=content, total=len(sheet.rows)
        )
        record(None, Action.CREATE, job, user=user, detail={"file": job.filename, "rows": job.total})
    return job


def start(job: ImportJob, *, user: User, dry_run: bool, mapping: dict[str, str] | None = None) -> ImportJob:
    """Run `job` now (small files) or queue it for the worker (more than ASYNC_ROWS rows)."""
    require(user, CAPABILITY, job.program)
    if job.is_running:
        raise RuleViolation("This file is being processed: wait for it to finish.")
    if job.status == ImportStatus.DONE:
        raise RuleViolation("This file is imported already.")
    job.mapping = mapping if mapping is not None else job.mapping
    job.dry_run = dry_run
    job.processed = 0
    job.result = {}
    if job.total > ASYNC_ROWS:
        from .tasks import run_job

        job.status = ImportStatus.QUEUED
        job.save()
        transaction.on_commit(lambda: run_job.delay(job.pk))
        return job
    return execute(job)


def execute(job: ImportJob) -> ImportJob:
    """Run the job's import and store its outcome (the task calls this too)."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        outcome = run_import(
            job.kind,
            job.filename,
            bytes(job.content),
            user=job.user,
            program=job.program,
            dry_run=job.dry_run,
            mapping=job.mapping,
            progress=lambda done, total: _progress(job.pk, done),
        )
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, result={"error": str(exc)[:500]})
        raise
    if outcome.saved:
        status = ImportStatus.DONE
    elif outcome.has_errors:
        status = ImportStatus.REFUSED
    else:
        status = ImportStatus.CHECKED
    job.status, job.result, job.processed = status, outcome.as_dict(), len(outcome.rows)
    job.finished_at = timezone.now()
    job.save()
    return job


def _progress(job_pk: int, done: int) -> None:
    """Progress through a second connection: the import's own transaction is not visible until it
    commits. SQLite has one writer, held by the import: there the page shows "running" only."""
    if connection.vendor == "sqlite":
        return
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # The table name is the model's own; the values are parameters.
            sql = f"UPDATE {ImportJob._meta.db_table} SET processed = %s WHERE id = %s"  # nosec B608
            cursor.execute(sql, [done, job_pk])
    except DatabaseError:
        pass  # progress is a courtesy; the import goes on
    finally:
        other.close()
