"""A synthetic installation at state or national scale for benchmarks (manage.py seed_scale).

Regions of programs with their staff, employers and five years of client histories, written with COPY on
PostgreSQL (a million rows a minute on a small machine) and executemany elsewhere (small sizes only).
Every name is invented. Distributions follow the demo (demo/client_histories.py, demo/employment.py).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .histories import Histories
from .organisation import Organisation, build_organisation
from .writer import Sink


@dataclass(frozen=True)
class ScaleOptions:
    programs: int = 1000
    clients_per_program: int = 100
    years: int = 5
    programs_per_region: int = 200
    region_code: str = "SCALE"
    seed: int = 16


@dataclass(frozen=True)
class ScaleResult:
    organisation: Organisation
    rows: dict[str, int]
    seconds: float


def region_exists(code: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM programs_region WHERE code LIKE %s", [f"{code}%"])
        return cursor.fetchone() is not None


def build(options: ScaleOptions, progress: Callable[[str], None] = lambda line: None) -> ScaleResult:
    """Writes the dataset. On PostgreSQL each chunk commits as it goes (a transaction of millions of rows
    would queue a deferred foreign-key check per row); elsewhere it is one transaction."""
    if connection.vendor == "postgresql":
        return _build(options, progress)
    with transaction.atomic():
        return _build(options, progress)


def _build(options: ScaleOptions, progress: Callable[[str], None]) -> ScaleResult:
    started = time.perf_counter()
    rng = random.Random(options.seed)
    today = timezone.localdate()
    history_start = today - datetime.timedelta(days=365 * options.years)
    now = timezone.now().replace(tzinfo=None).isoformat(sep=" ")  # naive UTC: both backends store it as is
    sink = Sink()
    sink.start()
    organisation = build_organisation(
        sink,
        rng,
        code=options.region_code,
        n_programs=options.programs,
        per_program=options.clients_per_program,
        per_region=options.programs_per_region,
        history_start=history_start,
        today=today,
        now=now,
    )
    sink.flush()
    progress(
        f"{len(organisation.programs)} programs in {len(organisation.region_ids)} regions with staff and employers"
    )
    histories = Histories(sink, rng, history_start, today, now)
    step = max(1, len(organisation.programs) // 20)
    try:
        for n, plan in enumerate(organisation.programs, 1):
            histories.program(plan)
            if n % step == 0 or n == len(organisation.programs):
                written = sum(sink.written.values()) + sink.buffered
                progress(f"  {n}/{len(organisation.programs)} programs, {written:,} rows, {_since(started)}")
        sink.flush()
    finally:
        if sink.dropped:
            progress(f"rebuilding {len(sink.dropped)} indexes, {_since(started)}")
            sink.restore_indexes()
    progress(f"checking foreign keys and sequences, {_since(started)}")
    sink.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            progress(f"analyzing, {_since(started)}")
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give them later
    return ScaleResult(organisation, dict(sink.written), time.perf_counter() - started)


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
