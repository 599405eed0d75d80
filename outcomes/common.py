"""Building blocks of the figures: constants, argument types, which specialist a client belongs to,
grouping rows by program or specialist, and the settings a figure reads.

Internal to the package: callers import `outcomes.metrics`, whose docstring holds the shared
definitions these blocks implement.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Final, Literal, TypeAlias, TypeVar

from django.db.models import Case, DateField, Exists, F, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from benchmarks.models import BenchmarkSettings, Denominator
from clients.models import Enrollment
from programs.models import Program, User

from .periods import Period

# Bump when a definition below changes: quarterly snapshots store it so that old figures stay
# explainable.
DEFINITION_VERSION = "2026.3"

# The reference's "hours per week (share >= 20)". BenchmarkSettings has no field for it.
HOURS_THRESHOLD = 20

ALL_ACTIVE: str = Denominator.ALL_ACTIVE.value
OUT_OF_WORK: str = Denominator.OUT_OF_WORK.value

# Group keys: the rows of an aggregate are grouped by program, by specialist, or not at all.
BY_PROGRAM: Final = "program"
BY_SPECIALIST: Final = "specialist"

# The programs figures are computed for: a Program queryset already scoped to the user by the caller,
# or Programs, or program ids.
Programs: TypeAlias = "QuerySet[Program] | Iterable[Program] | Iterable[int]"
# Employment specialists (Users or user ids) whose clients are counted; None: every client.
Specialists: TypeAlias = "Iterable[User | int] | None"
Group: TypeAlias = Literal["program", "specialist"] | None
# A program id or user id (the group), or None when the figures are not grouped.
GroupKey: TypeAlias = int | None
Row: TypeAlias = dict[str, Any]
_QS = TypeVar("_QS", bound="QuerySet[Any]")
_Number = TypeVar("_Number", float, Decimal)


def episodes_active(period: Period, client_ref: str) -> QuerySet[Enrollment]:
    """Episodes of the client at OuterRef(client_ref) active in the period."""
    return Enrollment.objects.filter(client=OuterRef(client_ref), enrollment_date__isnull=False).active_between(
        period.start, period.end
    )


def _latest_active(period: Period, client_ref: str, column: str) -> Subquery:
    """`column` of the client's latest episode active in the period (None when not active)."""
    return Subquery(episodes_active(period, client_ref).order_by("-enrollment_date", "-pk").values(column)[:1])


def specialist_of(period: Period, client_ref: str) -> Subquery:
    """The specialist a client is attributed to for the period: the `specialist` of the episode
    active in the period, the latest one (by enrollment date) if several."""
    return _latest_active(period, client_ref, "specialist")


def client_is_active(period: Period, client_ref: str) -> Exists:
    return Exists(episodes_active(period, client_ref))


def specialist_ids(specialists: Specialists) -> list[int] | None:
    if specialists is None:
        return None
    return sorted({s.pk if isinstance(s, Model) else s for s in specialists})


def attributed_episodes(period: Period) -> QuerySet[Enrollment]:
    """One row per active client: the episode the client is attributed to for the period, i.e.
    their latest episode active in it (by enrollment date, then id). Same choice as
    `_latest_active`, written as an anti-join so that its columns are plain columns."""
    later = (
        Enrollment.objects.filter(client=OuterRef("client"), enrollment_date__isnull=False)
        .active_between(period.start, period.end)
        .filter(
            Q(enrollment_date__gt=OuterRef("enrollment_date"))
            | Q(enrollment_date=OuterRef("enrollment_date"), pk__gt=OuterRef("pk"))
        )
    )
    return (
        Enrollment.objects.filter(enrollment_date__isnull=False)
        .active_between(period.start, period.end)
        .filter(~Exists(later))
    )


def for_specialists(qs: _QS, period: Period, client_ref: str, specialists: Specialists) -> _QS:
    """`qs` restricted to rows whose client (at `client_ref`) is attributed to `specialists`."""
    ids = specialist_ids(specialists)
    if ids is None:
        return qs
    attributed = attributed_episodes(period).filter(specialist__in=ids).values("client")
    return qs.filter(**{f"{client_ref}__in": attributed})


def group_key(
    group: Group, period: Period, client_ref: str | None, program_path: str, specialist_path: str | None = None
) -> F | Subquery | None:
    """The expression rows are grouped by: the program at `program_path`, or the specialist at
    `specialist_path` when the row carries it, else the client's attributed specialist."""
    if group == BY_PROGRAM:
        return F(program_path)
    if group == BY_SPECIALIST:
        if specialist_path:
            return F(specialist_path)
        assert client_ref is not None, "rows without a specialist column need a client to attribute"
        return specialist_of(period, client_ref)
    return None


def aggregate(qs: QuerySet[Any], key: F | Subquery | None, **aggregates: Any) -> dict[GroupKey, Row]:
    """{group key: {name: value}}; the single key None when `key` is None. One query."""
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.order_by().annotate(_group=key).values("_group").annotate(**aggregates)
    return {row.pop("_group"): row for row in rows}


def grouped_rows(qs: QuerySet[Any], key: F | Subquery | None, *columns: str) -> list[tuple[Any, ...]]:
    """[(group key, *columns)] from one values_list query."""
    if key is None:
        return [(None, *row) for row in qs.order_by().values_list(*columns)]
    return list(qs.order_by().annotate(_group=key).values_list("_group", *columns))


def median(values: Iterable[_Number | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def current_benchmarks(benchmarks: BenchmarkSettings | None = None) -> BenchmarkSettings:
    return benchmarks or BenchmarkSettings.current()


def checked_denominator(denominator: str | None, benchmarks: BenchmarkSettings) -> str:
    denominator = denominator or benchmarks.employment_rate_denominator
    if denominator not in (ALL_ACTIVE, OUT_OF_WORK):
        raise ValueError(f"Unknown denominator {denominator!r}: use {ALL_ACTIVE!r} or {OUT_OF_WORK!r}.")
    return denominator


def today_or(as_of: datetime.date | None) -> datetime.date:
    return as_of or timezone.localdate()


def period_as_of(
    period: Period, today: datetime.date | None = None, benchmarks: BenchmarkSettings | None = None
) -> datetime.date:
    """The day a period's figures are read as of: the day after the target window of the period's
    last new client has closed (last day + `first_employer_contact_days` + 1), or today if earlier.

    Dashboards and quarterly snapshots both use it, so a quarter shows the same figures live and in
    its report, a report regenerated later gives the same numbers unless records changed, and a client
    enrolled late in a quarter is still judged on their whole window (reading as of the last day
    would leave them out of every quarter's first-contact share)."""
    bench = current_benchmarks(benchmarks)
    closed = period.end + datetime.timedelta(days=bench.first_employer_contact_days + 1)
    return min(closed, today or timezone.localdate())


def shifted(
    field: str, days_in_range: Iterable[datetime.date], shift: Callable[[datetime.date], datetime.date]
) -> Case | Value:
    """A date expression equal to shift(value of `field`) for each day in `days_in_range`
    (portable date arithmetic: SQLite has no date + interval)."""
    whens = [When(**{field: day}, then=Value(shift(day))) for day in days_in_range]
    if not whens:
        return Value(None, output_field=DateField())
    return Case(*whens, default=Value(None), output_field=DateField())
