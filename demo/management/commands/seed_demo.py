from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo import builder as demo


class Command(BaseCommand):
    help = "Create synthetic demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete the demo region and seed it again.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        began = time.monotonic()
        if reset:
            demo.reset()
            self.stdout.write("Deleted the demo region and the demo users.")
        counts = demo.seed()
        if counts:
            summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data created in {time.monotonic() - began:.1f} s: {summary}"))
        else:
            self.stdout.write("Demo data already present; nothing created (use --reset to rebuild it).")
        self.stdout.write(f"\nDemo logins (password for all: {demo.PASSWORD})")
        for username, role, where in demo.logins():
            self.stdout.write(f"  {username:<13} {role:<34} {where}")
