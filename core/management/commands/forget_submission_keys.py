from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from core.idempotency import KEEP_DAYS, forget_old


class Command(BaseCommand):
    help = f"Delete submission (idempotency) keys older than {KEEP_DAYS} days (also a nightly beat task)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=KEEP_DAYS)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        self.stdout.write(f"Deleted {forget_old(days=days)} submission keys older than {days} days.")
