"""The records behind one dashboard number.

A drill-down is named by its catalogue key (`outcomes.measures`): the catalogue says which records
lie behind the figure (`Measure.drilldown`), `SOURCES` says which `outcomes.metrics` queryset gives
them (optionally narrowed to one chart bin), and `LISTINGS` says how each kind of record is listed
and exported. A key outside the catalogue, or a measure with no records of its own, is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from benchmarks.models import BenchmarkSettings
from clients.models import Client, Contact, Enrollment
from jobs.models import EmployerContact, JobStart
from outcomes import metrics
from outcomes.measures import MEASURES, Measure, Records
from outcomes.periods import Period
from programs.models import Program

from .charts import (
    Bins,
    first_contact_counted_bins,
    first_contact_enrollments,
    hours_bins,
    jobs_with_tenure,
    tenure_bins,
)
from .filters import Filters

MAX_PERIOD = datetime.timedelta(days=400)


@dataclass(frozen=True)
class Scope:
    """What the records are chosen by: the dashboard's filters and the drill-down's own period."""

    filters: Filters
    period: Period

    @property
    def programs(self) -> QuerySet[Program]:
        return self.filters.program_qs

    @property
    def specialists(self) -> list[int] | None:
        return self.filters.specialist_ids


@dataclass(frozen=True)
class Source:
    """Where one measure's records come from, and the bins its chart splits them into."""

    records: Callable[[Scope], QuerySet[Any]]
    bins: Callable[[BenchmarkSettings, datetime.date], Bins] | None = None
    # Enrollment lists: the referral date instead of the enrollment date; the first employer contact.
    referral_date: bool = False
    first_contact: bool = False


def _m(name: str, **kwargs: Any) -> Callable[[Scope], QuerySet[Any]]:
    """The records of `metrics.<name>(programs, period, specialists, **kwargs)`."""

    def records(s: Scope) -> QuerySet[Any]:
        qs: QuerySet[Any] = getattr(metrics, name)(s.programs, s.period, s.specialists, **kwargs)
        return qs

    return records


def _rate(name: str) -> Callable[[Scope], QuerySet[Any]]:
    """The clients of an employment-rate side with the dashboard's chosen denominator."""

    def records(s: Scope) -> QuerySet[Any]:
        qs: QuerySet[Any] = getattr(metrics, name)(
            s.programs, s.period, s.specialists, denominator=s.filters.denominator
        )
        return qs

    return records


def _open_at_end(s: Scope) -> QuerySet[Client]:
    """Active clients with an episode open on the period's last day (metrics' caseload_at_end)."""
    last_day = Period.custom(s.period.end, s.period.end)
    active: QuerySet[Client] = metrics.active_clients(s.programs, s.period, s.specialists)
    return active.filter(pk__in=metrics.active_clients(s.programs, last_day).values("pk"))


def _first_contacts(only: Callable[[Scope], Q] | None = None) -> Callable[[Scope], QuerySet[Enrollment]]:
    def records(s: Scope) -> QuerySet[Enrollment]:
        qs = first_contact_enrollments(s.programs, s.period, s.specialists, s.filters.as_of)
        return qs.filter(only(s)) if only else qs

    return records


def _counted(s: Scope) -> Q:
    """The new clients the first-contact rate counts (its denominator)."""
    return first_contact_counted_bins(s.filters.benchmarks, s.filters.as_of)["counted"][1]


def _tenures(s: Scope) -> QuerySet[JobStart]:
    return jobs_with_tenure(s.programs, s.period, s.specialists, s.filters.as_of)


def _jobs_held_with(**lookup: Any) -> Callable[[Scope], QuerySet[JobStart]]:
    def records(s: Scope) -> QuerySet[JobStart]:
        jobs: QuerySet[JobStart] = metrics.jobs_held(s.programs, s.period, s.specialists)
        return jobs.filter(**lookup)

    return records


def _quality(name: str) -> Callable[[Scope], QuerySet[Any]]:
    def records(s: Scope) -> QuerySet[Any]:
        qs: QuerySet[Any] = getattr(metrics.data_quality(s.programs, s.period), name)
        return qs

    return records


def _first_contact_bins(benchmarks: BenchmarkSettings, as_of: datetime.date) -> Bins:
    return first_contact_counted_bins(benchmarks, as_of)


def _tenure_bins(_benchmarks: BenchmarkSettings, _as_of: datetime.date) -> Bins:
    return tenure_bins()


def _hours_bins(_benchmarks: BenchmarkSettings, _as_of: datetime.date) -> Bins:
    return hours_bins()


FIRST_CONTACT: dict[str, Any] = {"bins": _first_contact_bins, "first_contact": True}

# Catalogue key -> records. Share measures list the records they are counted over; their bins (or, for
# the employment rate, `rate_numerator`) narrow the list to the numerator.
SOURCES: dict[str, Source] = {
    "active_caseload": Source(_m("active_clients")),
    "working": Source(_m("working_clients")),
    "rate_numerator": Source(_rate("working_clients")),
    "rate_denominator": Source(_rate("active_clients")),
    "caseload_at_end": Source(_open_at_end),
    "in_education": Source(_m("clients_in_education")),
    "job_starts": Source(_m("job_starts")),
    "first_job_starts": Source(_m("first_job_starts")),
    "jobs_held": Source(_m("jobs_held")),
    "tenure": Source(_tenures, _tenure_bins),
    "tenure_weeks_median": Source(_tenures, _tenure_bins),
    "hours": Source(_m("jobs_held"), _hours_bins),
    "hours_20_plus": Source(_jobs_held_with(hours_per_week__isnull=False), _hours_bins),
    "hourly_wage_median": Source(_jobs_held_with(hourly_wage__isnull=False)),
    "new_enrollments": Source(_m("new_enrollments")),
    "closures": Source(_m("closures")),
    "first_contact": Source(_first_contacts(), **FIRST_CONTACT),
    "first_contact_days_median": Source(
        _first_contacts(lambda s: Q(first_contact_date__isnull=False)), **FIRST_CONTACT
    ),
    "first_contact_within_target": Source(_first_contacts(_counted), **FIRST_CONTACT),
    "employer_contacts": Source(_m("employer_contacts")),
    "employer_contacts_per_specialist_week": Source(_m("employer_contacts")),
    "missing_enrollment_date": Source(_quality("enrollments_missing_dates"), referral_date=True),
    "jobs_missing_fields": Source(_quality("jobs_missing_fields")),
    "contacts_missing_mode": Source(_quality("contacts_missing_mode")),
}


# --- How each kind of record is listed --------------------------------------------------------------

Table = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Listing:
    """How one kind of record is fetched, shown (its template) and exported."""

    noun: str  # "client" -> "3 clients"
    template: str
    related: Callable[[QuerySet[Any]], QuerySet[Any]]
    export: Callable[[Iterable[Any]], Table]

    def client_of(self, record: Model) -> Client | None:
        return record if isinstance(record, Client) else getattr(record, "client", None)


def _client_table(records: Iterable[Client]) -> Table:
    return ["Client", "Record number", "Program"], [[c.display_name, c.record_number, c.program.name] for c in records]


def _job_table(records: Iterable[JobStart]) -> Table:
    header = ["Client", "Record number", "Employer", "Job title", "Start", "End", "Hours a week", "Hourly wage"]
    rows = [
        [
            j.client.display_name,
            j.client.record_number,
            j.employer.name,
            j.job_title,
            j.start_date,
            j.end_date,
            j.hours_per_week,
            j.hourly_wage,
        ]
        for j in records
    ]
    return header, rows


def _enrollment_table(records: Iterable[Enrollment]) -> Table:
    header = [
        "Client",
        "Record number",
        "Specialist",
        "Referred",
        "Enrolled",
        "Closed",
        "First employer contact",
        "Days",
    ]
    rows = []
    for e in records:
        days = getattr(e, "days", None)
        rows.append(
            [
                e.client.display_name,
                e.client.record_number,
                str(e.specialist or ""),
                e.referral_date,
                e.enrollment_date,
                e.closure_date,
                getattr(e, "first_contact_date", None),
                days.days if days is not None else None,
            ]
        )
    return header, rows


def _client_contact_table(records: Iterable[Contact]) -> Table:
    header = ["Date", "Client", "Record number", "Staff", "With", "Place"]
    rows = [
        [
            c.contact_date,
            c.client.display_name,
            c.client.record_number,
            str(c.staff or ""),
            c.get_with_whom_display(),
            c.get_place_display(),
        ]
        for c in records
    ]
    return header, rows


def _employer_contact_table(records: Iterable[EmployerContact]) -> Table:
    header = ["Date", "Employer", "Specialist", "Face to face", "Clients discussed"]
    rows = [
        [
            c.contact_date,
            c.employer.name,
            str(c.specialist or ""),
            "yes" if c.face_to_face else "no",
            "; ".join(x.display_name for x in c.clients.all()),
        ]
        for c in records
    ]
    return header, rows


def _template(kind: Records) -> str:
    return f"reports/dashboards/drilldown/_{kind.value}.html"


LISTINGS: dict[Records, Listing] = {
    Records.CLIENTS: Listing(
        "client",
        _template(Records.CLIENTS),
        lambda qs: qs.select_related("program", "treatment_team").order_by("last_name", "first_name", "pk"),
        _client_table,
    ),
    Records.JOBS: Listing(
        "job",
        _template(Records.JOBS),
        lambda qs: qs.select_related("client__program", "employer").order_by("-start_date", "pk"),
        _job_table,
    ),
    Records.ENROLLMENTS: Listing(
        "enrollment",
        _template(Records.ENROLLMENTS),
        lambda qs: qs.select_related("client__program", "specialist").order_by("-enrollment_date", "pk"),
        _enrollment_table,
    ),
    Records.CLIENT_CONTACTS: Listing(
        "contact",
        _template(Records.CLIENT_CONTACTS),
        lambda qs: qs.select_related("client", "staff").order_by("-contact_date", "pk"),
        _client_contact_table,
    ),
    Records.CONTACTS: Listing(
        "contact",
        _template(Records.CONTACTS),
        lambda qs: (
            qs.select_related("employer", "specialist").prefetch_related("clients").order_by("-contact_date", "pk")
        ),
        _employer_contact_table,
    ),
}


# --- One drill-down ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillDown:
    measure: Measure
    source: Source
    listing: Listing

    @property
    def key(self) -> str:
        return self.measure.key

    def records(self, filters: Filters, period: Period, bin_code: str = "") -> tuple[QuerySet[Any], str]:
        """The records behind the number (optionally one bin of its chart) and the bin's label."""
        queryset = self.source.records(Scope(filters, period))
        bin_label = ""
        if bin_code:
            bins = self.source.bins(filters.benchmarks, filters.as_of) if self.source.bins else {}
            if bin_code not in bins:
                raise Http404("No such bin.")
            bin_label, q = bins[bin_code]
            queryset = queryset.filter(q)
        return self.listing.related(queryset), bin_label

    def with_record_urls(self, records: list[Any]) -> list[Any]:
        """Set `record_url` on the client of each listed record (no queries)."""
        for record in records:
            client = self.listing.client_of(record)
            if client is not None:
                client.record_url = reverse("clients:client_detail", args=[client.pk])  # type: ignore[attr-defined]
        return records

    def shown_clients(self, records: Iterable[Any]) -> list[tuple[int, int]]:
        """(client id, program id) of every client the listed records name, for the audit trail
        (from memory: clients are selected or prefetched with the records)."""
        pairs: list[tuple[int, int]] = []
        for record in records:
            client = self.listing.client_of(record)
            related = getattr(record, "clients", None)  # an employer contact names several
            named = [client] if client is not None else list(related.all()) if related is not None else []
            pairs.extend((c.pk, c.program_id) for c in named)
        return pairs

    def exported_clients(self, queryset: QuerySet[Any]) -> list[tuple[int, int]]:
        """The same for a whole export, in one query."""
        model = queryset.model
        prefix = "" if model is Client else ("clients__" if hasattr(model, "clients") else "client__")
        return list(
            queryset.order_by()
            .filter(**{f"{prefix}pk__isnull": False} if prefix else {})
            .values_list(f"{prefix}pk", f"{prefix}program_id")
            .distinct()
        )


def drilldown_for(key: str) -> DrillDown:
    """The drill-down of catalogue measure `key`; 404 for anything that has no list of records."""
    measure = MEASURES.get(key)
    if measure is None or measure.drilldown is None or key not in SOURCES:
        raise Http404("No such measure.")
    return DrillDown(measure, SOURCES[key], LISTINGS[measure.drilldown])


def drilldown_period(params: Mapping[str, str], filters: Filters) -> Period:
    """The period a drill-down link names: `month`, `start`+`end`, or the dashboard's quarter."""
    try:
        if params.get("month"):
            period = Period.parse(params["month"])
        elif params.get("start") and params.get("end"):
            period = Period.custom(
                datetime.date.fromisoformat(params["start"]), datetime.date.fromisoformat(params["end"])
            )
        else:
            return filters.period
    except ValueError as exc:
        raise Http404("No such period.") from exc
    if period.end - period.start > MAX_PERIOD:
        raise Http404("Period too long.")
    return period
