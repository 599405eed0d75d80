"""What one demo build shares: the day it counts back from, one random stream, the staff, row counts.

Every part of the demo draws from the same `random.Random(SEED)` in a fixed order, so the same day
always gives the same data; a part that draws in another order changes everything after it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db.models import Model

from programs.models import User

REGION_CODE = "LK"
PASSWORD = "demo-pass-2026"
SEED = 20261124
HISTORY_DAYS = 730  # two years of history before today

M = TypeVar("M", bound=Model)


@dataclass
class Staff:
    admin: User | None = None
    supervisors: list[User] = field(default_factory=list)
    trainers: list[User] = field(default_factory=list)
    specialists: dict[str, list[User]] = field(default_factory=dict)  # program code -> its specialists


class Seeding:
    """One build of the demo region, history counted back from `today`."""

    def __init__(self, today: datetime.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.start = today - datetime.timedelta(days=HISTORY_DAYS)
        self.counts: dict[str, int] = {}
        self.password = make_password(PASSWORD)  # hashed once, shared by the demo users
        self.staff = Staff()
        self.client_seq = 0  # record numbers run on across programs

    def days(self, n: int) -> datetime.timedelta:
        return datetime.timedelta(days=n)

    def between(self, lo: datetime.date, hi: datetime.date) -> datetime.date:
        """A random day from lo to hi (lo when the range is empty)."""
        if hi <= lo:
            return lo
        return lo + self.days(self.rng.randint(0, (hi - lo).days))

    def bulk(self, model: type[M], rows: Sequence[M]) -> list[M]:
        created = model._default_manager.bulk_create(rows, batch_size=500)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(created)
        return created

    def user(self, username: str, first: str, last: str, **extra: Any) -> User:
        user = User.objects.create(
            username=username, first_name=first, last_name=last, email=f"{username}@demo.invalid", **extra
        )
        user.password = self.password
        user.save(update_fields=["password"])
        self.counts["User"] = self.counts.get("User", 0) + 1
        return user
