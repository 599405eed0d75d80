"""Build a synthetic installation at scale for the benchmarks (bench/, docs/performance.md).

    python manage.py seed_scale --programs 1000 --clients-per-program 100 --years 5

Full size (about 100,000 clients, 2 M client contacts, 1.5 M employer contacts) needs PostgreSQL; use a
database of its own. SQLite takes small sizes (tests). Users get unusable passwords; benchmarks log in
by session.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.scale import ScaleOptions, build, region_exists


class Command(BaseCommand):
    help = "Write a synthetic dataset of regions, programs, staff and client histories for benchmarks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--programs", type=int, default=1000)
        parser.add_argument("--clients-per-program", type=int, default=100)
        parser.add_argument("--years", type=int, default=5, help="Years of history before today.")
        parser.add_argument("--programs-per-region", type=int, default=200)
        parser.add_argument("--region-code", default="SCALE", help="Regions are coded CODE01, CODE02, ...")
        parser.add_argument("--seed", type=int, default=16, help="Random seed (the same seed, the same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        opts = ScaleOptions(
            programs=options["programs"],
            clients_per_program=options["clients_per_program"],
            years=options["years"],
            programs_per_region=options["programs_per_region"],
            region_code=options["region_code"].upper(),
            seed=options["seed"],
        )
        if min(opts.programs, opts.clients_per_program, opts.years, opts.programs_per_region) < 1:
            raise CommandError("--programs, --clients-per-program, --years and --programs-per-region must be >= 1.")
        if len(opts.region_code) > 14:
            raise CommandError("--region-code is at most 14 characters (two digits are appended).")
        if region_exists(opts.region_code):
            raise CommandError(f"Regions coded {opts.region_code}.. exist already; use another --region-code.")
        result = build(opts, progress=self.stdout.write)
        self.stdout.write(
            "Rows: " + ", ".join(f"{table.split('_', 1)[1]} {n:,}" for table, n in sorted(result.rows.items()))
        )
        self.stdout.write(self.style.SUCCESS(f"seed_scale: done in {result.seconds:.1f} s"))
