"""What the supervisor dashboard and the regional view show, assembled from outcomes.metrics.

Every figure comes from `outcomes.metrics` (its summaries for numbers, its querysets for the
records behind them); this module only chooses periods, groups the metrics' querysets into
chart bins and shapes the results for templates, charts (JSON) and exports. Each function runs a
bounded number of queries whatever the number of clients, jobs or contacts.

Access: callers pass programs already scoped through programs/access.py (`dashboard_programs`,
`region_programs`); nothing here widens a scope.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from benchmarks.models import BenchmarkSettings, Denominator
from clients.models import Enrollment
from fidelity.selectors import latest_reviews
from outcomes import metrics
from outcomes.metrics import Period, Rate
from programs.access import Capability, programs_for, regions_for
from programs.models import Program, User
from programs.selectors import specialists_of

QUARTER_CHOICES = 12  # quarters offered in the filter, the current one included
TREND_QUARTERS = 8
MONTHS_OF_STARTS = 12
CONTACT_WEEKS = 4  # "employer contacts a week (last 4 weeks)"

BAND_STYLES = {
    "below_minimal": "danger",
    "minimal": "warning",
    "average": "info",
    "excellent": "success",
    "no_data": "secondary",
    "below_ips_grow": "danger",
    "meets_ips_grow": "success",
}


# --- Who may see which dashboard ------------------------------------------------------------------


def dashboard_programs(user):
    """Programs whose dashboard `user` may open: supervisors (they manage the program), trainers
    (they review its fidelity) and administrators. Specialists alone get none (404)."""
    managed = programs_for(user, Capability.MANAGE_PROGRAM) | programs_for(user, Capability.REVIEW_FIDELITY)
    return programs_for(user, Capability.VIEW_AGGREGATES).filter(pk__in=managed.values("pk"))


def client_program_ids(user, program_ids):
    """Of `program_ids`, those on which `user` may see client names (one query)."""
    return set(programs_for(user, Capability.VIEW_CLIENTS).filter(pk__in=program_ids).values_list("pk", flat=True))


def region_programs(user, region_code=""):
    """(regions the user covers, chosen region, its programs) for the regional view; 404 without one."""
    regions = list(regions_for(user, Capability.VIEW_AGGREGATES).order_by("name"))
    if not regions:
        raise Http404("No region.")
    region = regions[0]
    if region_code:
        region = next((r for r in regions if r.code == region_code), None)
        if region is None:
            raise Http404("No such region.")
    programs = (
        programs_for(user, Capability.VIEW_AGGREGATES)
        .filter(agency__region=region)
        .select_related("agency")
        .order_by("name")
    )
    return regions, region, list(programs)


# --- Filters ----------------------------------------------------------------------------------------


def default_quarter(today, start_month=None):
    """The last complete quarter."""
    return Period.quarter_containing(today, start_month).previous()


def quarter_choices(today, start_month=None):
    """The quarters offered in the filters, newest (the current one, to date) first."""
    return Period.quarter_containing(today, start_month).quarters_back(QUARTER_CHOICES)[::-1]


def parse_quarter(code, today, start_month=None):
    """The quarter named by `code` (e.g. 2026Q2) unless it starts after today; else (and by
    default) the last complete quarter."""
    if code:
        try:
            period = Period.parse(code, start_month)
        except ValueError:
            period = None
        if period is not None and period.kind == "quarter" and period.start <= today:
            return period
    return default_quarter(today, start_month)


@dataclass
class Filters:
    """The dashboard's choice of programs, quarter, specialist and denominator (GET parameters)."""

    available: list  # programs the user may open, for the program filter
    program: Program | None  # one chosen program, or None for all available
    period: Period
    specialist: User | None
    specialist_choices: list
    denominator: str
    quarters: list
    today: datetime.date
    benchmarks: BenchmarkSettings

    @property
    def programs(self):
        return [self.program] if self.program else self.available

    @property
    def program_ids(self):
        return [p.pk for p in self.programs]

    @property
    def program_qs(self):
        return Program.objects.filter(pk__in=self.program_ids)

    @property
    def specialist_ids(self):
        return [self.specialist.pk] if self.specialist else None

    @property
    def as_of(self):
        """The day figures are read as of, as in the quarterly reports (`metrics.period_as_of`)."""
        return metrics.period_as_of(self.period, self.today, self.benchmarks)

    @property
    def last_day(self):
        """The period's last day, or today while the period runs."""
        return min(self.period.end, self.today)

    @property
    def label(self):
        return self.program.name if self.program else "All your programs"

    def params(self, **extra):
        """Query parameters reproducing these filters (plus `extra`), for links."""
        values = {"quarter": self.period.code}
        if self.program:
            values["program"] = self.program.code
        if self.specialist:
            values["specialist"] = self.specialist.pk
        if self.denominator != Denominator.ALL_ACTIVE:
            values["denominator"] = self.denominator
        values.update({k: v for k, v in extra.items() if v not in (None, "")})
        return values

    @property
    def query(self):
        return urlencode(self.params())

    def export_url(self, dataset, fmt):
        return f"{reverse('reports:dashboard_export', args=[dataset, fmt])}?{self.query}"

    def url(self, name, **extra):
        return f"{reverse(name)}?{urlencode(self.params(**extra))}"


def parse_filters(user, params, today):
    """Read quarter / program / specialist / denominator; anything out of scope is a 404."""
    available = list(dashboard_programs(user).select_related("agency__region").order_by("name"))
    if not available:
        raise Http404("No dashboard.")
    benchmarks = BenchmarkSettings.current()
    program = None
    code = params.get("program", "")
    if code:
        program = next((p for p in available if p.code == code), None)
        if program is None:
            raise Http404("No such program.")
    elif len(available) == 1:
        program = available[0]
    chosen_ids = [program.pk] if program else [p.pk for p in available]
    specialists = list(
        User.objects.filter(
            # Current specialists, and former ones who still have clients attributed to them.
            Q(pk__in=specialists_of(chosen_ids).values("pk"))
            | Q(pk__in=Enrollment.objects.filter(client__program__in=chosen_ids).values("specialist"))
        ).order_by("last_name", "first_name", "username")
    )
    specialist = None
    if params.get("specialist"):
        specialist = next((u for u in specialists if str(u.pk) == str(params["specialist"])), None)
        if specialist is None:
            raise Http404("No such specialist.")
    denominator = params.get("denominator") or benchmarks.employment_rate_denominator
    if denominator not in Denominator.values:
        denominator = Denominator.ALL_ACTIVE
    return Filters(
        available=available,
        program=program,
        period=parse_quarter(params.get("quarter", ""), today, benchmarks.quarter_start_month),
        specialist=specialist,
        specialist_choices=specialists,
        denominator=denominator,
        quarters=quarter_choices(today, benchmarks.quarter_start_month),
        today=today,
        benchmarks=benchmarks,
    )


# --- Small shaping helpers --------------------------------------------------------------------------


def percent(rate):
    return rate.percent if rate is not None else None


def fmt_number(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def fmt_percent(rate):
    return "–" if rate is None or rate.percent is None else f"{rate.percent:.1f}%"


def band_of(rate, benchmarks, denominator=None):
    band = metrics.rate_band(rate, benchmarks, denominator)
    return {"code": band.code, "label": band.label, "style": BAND_STYLES.get(band.code, "secondary")}


def change(current, previous, *, points=False):
    """The change from the previous period: {'value', 'text', 'direction'} (None when unknown)."""
    if current is None or previous is None:
        return {"value": None, "text": "no comparison", "direction": "none"}
    delta = round(current - previous, 1)
    unit = " pts" if points else ""
    if delta == 0:
        return {"value": 0, "text": "no change", "direction": "same"}
    sign = "+" if delta > 0 else "−"
    return {"value": delta, "text": f"{sign}{abs(delta):g}{unit}", "direction": "up" if delta > 0 else "down"}


# --- Chart specs ------------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    data: list
    urls: list = field(default_factory=list)
    kind: str = "value"  # "value" (bars / points) or "target" (a benchmark line)
    type: str = ""  # Chart.js dataset type when it differs from the chart's
    color: str = ""


@dataclass
class Chart:
    """One chart: what charts.js draws, what the accessible table lists and what exports write."""

    key: str
    title: str
    description: str
    type: str  # "bar", "line" or "scatter"
    labels: list
    series: list
    x_title: str = ""
    y_title: str = ""
    y_max: float | None = None
    percent: bool = False
    empty: str = ""  # explanation shown instead of the chart when there is nothing to draw
    points: list = field(default_factory=list)  # scatter: [{"x", "y", "label", "url"}]
    exports: dict = field(default_factory=dict)  # {"csv": url, "xlsx": url}
    zero_is_data: bool = False  # a 0% rate is a figure; a month with 0 starts draws nothing

    @property
    def dom_id(self):
        return f"chart-{self.key.replace('_', '-')}"

    @property
    def data_id(self):
        return f"{self.dom_id}-data"

    @property
    def is_empty(self):
        if self.type == "scatter":
            return not self.points
        blank = (None,) if self.zero_is_data else (None, 0)
        return not self.labels or not any(v not in blank for s in self.series if s.kind == "value" for v in s.data)

    def as_json(self):
        return {
            "type": self.type,
            "title": self.title,
            "labels": self.labels,
            "xTitle": self.x_title,
            "yTitle": self.y_title,
            "yMax": self.y_max,
            "percent": self.percent,
            "points": self.points,
            "datasets": [
                {"label": s.label, "data": s.data, "urls": s.urls, "kind": s.kind, "type": s.type, "color": s.color}
                for s in self.series
            ],
        }

    # The accessible table and the export share one header and one row shape.
    def header(self):
        if self.type == "scatter":
            return ["Program", "Fidelity total", "Employment rate %"]
        return [self.x_title or "Label"] + [s.label for s in self.series]

    def table_rows(self):
        """Rows of cells {'text', 'url', 'value'} for the template."""
        if self.type == "scatter":
            return [
                [
                    {"text": p["label"], "url": p.get("url", ""), "value": p["label"]},
                    {"text": fmt_number(p["x"], 0), "url": "", "value": p["x"]},
                    {"text": fmt_number(p["y"]), "url": "", "value": p["y"]},
                ]
                for p in self.points
            ]
        rows = []
        for i, label in enumerate(self.labels):
            row = [{"text": label, "url": "", "value": label}]
            for s in self.series:
                value = s.data[i] if i < len(s.data) else None
                url = s.urls[i] if i < len(s.urls) else ""
                row.append({"text": fmt_number(value), "url": url or "", "value": value})
            rows.append(row)
        return rows

    def export_rows(self):
        return [[cell["value"] for cell in row] for row in self.table_rows()]


# --- Supervisor dashboard ---------------------------------------------------------------------------


@dataclass
class Card:
    key: str
    label: str
    value: str
    previous: str
    change: dict
    url: str = ""
    band: dict | None = None
    note: str = ""
    raw: float | int | None = None
    previous_raw: float | int | None = None


def _first_contact_bins(benchmarks):
    """Days from enrollment to the first face-to-face employer contact, binned by the IPS-25 item 15
    anchors, the first bin ending at the configured target."""
    target = benchmarks.first_employer_contact_days
    edges = [target] + [edge for edge in (60, 150, 270) if edge > target]
    bins, low = [], 0
    for edge in edges:
        bins.append((f"d{low}-{edge}", f"{low}–{edge} days", Q(days__gte=_days(low), days__lte=_days(edge))))
        low = edge + 1
    bins.append((f"d{low}+", f"more than {low - 1} days", Q(days__gte=_days(low))))
    bins.append(("none", "no contact yet", Q(first_contact_date__isnull=True)))
    return bins


def _days(n):
    return datetime.timedelta(days=n)


TENURE_BINS = [
    ("w0-4", "under 4 weeks", 0, 4),
    ("w4-13", "4–13 weeks", 4, 13),
    ("w13-26", "13–26 weeks", 13, 26),
    ("w26-52", "26–52 weeks", 26, 52),
    ("w52+", "a year or more", 52, None),
]

HOURS_BINS = [
    ("h0-10", "under 10 h", 0, 10),
    ("h10-20", "10–19 h", 10, 20),
    ("h20-30", "20–29 h", 20, 30),
    ("h30-40", "30–39 h", 30, 40),
    ("h40+", "40 h or more", 40, None),
]


def _tenure_q(low, high):
    q = Q(tenure__gte=datetime.timedelta(weeks=low))
    if high is not None:
        q &= Q(tenure__lt=datetime.timedelta(weeks=high))
    return q


def _hours_q(low, high):
    q = Q(hours_per_week__gte=low)
    if high is not None:
        q &= Q(hours_per_week__lt=high)
    return q


def bin_filters(measure, benchmarks):
    """{bin code: (label, Q)} for the distributions that drill down by bin."""
    if measure == "first_contact":
        return {code: (label, q) for code, label, q in _first_contact_bins(benchmarks)}
    if measure == "tenure":
        return {code: (label, _tenure_q(lo, hi)) for code, label, lo, hi in TENURE_BINS}
    if measure == "hours":
        bins = {code: (label, _hours_q(lo, hi)) for code, label, lo, hi in HOURS_BINS}
        bins["unknown"] = ("not recorded", Q(hours_per_week__isnull=True))
        return bins
    return {}


def drilldown_bins(measure, benchmarks, as_of):
    """The chart bins plus, for the first-contact card, the clients its rate counts: `counted`
    (the denominator: contacted, or not contacted with the target window elapsed by `as_of`) and
    `within_target` (the numerator), exactly as metrics.outcomes counts them."""
    bins = bin_filters(measure, benchmarks)
    if measure == "first_contact":
        target = benchmarks.first_employer_contact_days
        elapsed = Q(first_contact_date__isnull=True, enrollment_date__lt=as_of - _days(target))
        bins["counted"] = ("clients the rate counts", Q(first_contact_date__isnull=False) | elapsed)
        bins["within_target"] = (f"contact within {target} days", Q(days__lte=_days(target)))
    return bins


def jobs_with_tenure(programs, period, specialists, as_of):
    """metrics.jobs_held annotated with `tenure` as metrics defines it: start to end date or, for a
    job still held, to min(as_of, the period's end)."""
    until = min(as_of, period.end)
    return metrics.jobs_held(programs, period, specialists).annotate(
        tenure=ExpressionWrapper(Coalesce(F("end_date"), Value(until)) - F("start_date"), output_field=DurationField())
    )


def _distribution(queryset, bins):
    """{bin code: count} in one aggregate query."""
    if not bins:
        return {}
    return queryset.aggregate(**{code: Count("pk", filter=q) for code, (_label, q) in bins.items()})


def count_card(key, label, now, before, drill, note, attr=None):
    """A headline card of one count of `Outcomes` (`attr`, default `key`) against the previous period."""
    value, previous = getattr(now, attr or key), getattr(before, attr or key)
    return Card(
        key, label, str(value), str(previous), change(value, previous), drill(key),
        raw=value, previous_raw=previous, note=note,
    )  # fmt: skip


def rate_card(key, label, rate, previous_rate, url, note, band=None):
    """A headline card of a rate against the previous period; the change is in percentage points."""
    value, previous = percent(rate), percent(previous_rate)
    return Card(
        key, label, fmt_percent(rate), fmt_percent(previous_rate), change(value, previous, points=True), url,
        band=band, raw=value, previous_raw=previous, note=note,
    )  # fmt: skip


def supervisor_dashboard(filters, *, names_visible=False):
    """Everything the supervisor dashboard shows for `filters`, in a bounded number of queries."""
    b = filters.benchmarks
    programs, period, specialists = filters.program_qs, filters.period, filters.specialist_ids
    denominator = filters.denominator
    previous = period.previous()
    now = metrics.outcomes(
        programs, period, specialists=specialists, denominator=denominator, as_of=filters.as_of, benchmarks=b
    )
    before = metrics.outcomes(
        programs,
        previous,
        specialists=specialists,
        denominator=denominator,
        as_of=filters.as_of,
        benchmarks=b,
    )

    def drill(measure, **extra):
        return filters.url("reports:drilldown", measure=measure, **extra) if names_visible else ""

    first_contact = now.first_contact_within_target
    median = now.first_contact_days_median
    cards = [
        count_card(
            "caseload",
            "Active caseload",
            now,
            before,
            drill,
            "clients enrolled on any day of the quarter",
            attr="active_caseload",
        ),  # fmt: skip
        count_card("working", "Working", now, before, drill, "held a competitive job in the quarter"),
        rate_card(
            "rate",
            "Employment rate",
            now.employment_rate,
            before.employment_rate,
            drill("rate_numerator"),
            f"{now.employment_rate.numerator} of {now.employment_rate.denominator}"
            + (" out of work at enrollment" if denominator == Denominator.OUT_OF_WORK else " active clients"),
            band=band_of(now.employment_rate, b, denominator),
        ),
        count_card("job_starts", "Job starts", now, before, drill, f"{now.first_job_starts} first job starts"),
        rate_card(
            "first_contact",
            f"Employer contact within {b.first_employer_contact_days} days",
            first_contact,
            before.first_contact_within_target,
            drill("first_contact", bin="counted"),
            f"{first_contact.numerator} of {first_contact.denominator} new clients"
            + (f" · median {fmt_number(median, 0)} days" if median is not None else ""),
        ),
    ]

    by_specialist = metrics.outcomes_by_specialist(
        programs, period, denominator=denominator, as_of=filters.as_of, benchmarks=b
    )
    if specialists:
        by_specialist = [(u, o) for u, o in by_specialist if u.pk in specialists]
    recent = Period.custom(filters.last_day - datetime.timedelta(days=7 * CONTACT_WEEKS - 1), filters.last_day)
    recent_by_specialist = {
        u.pk: o
        for u, o in metrics.outcomes_by_specialist(
            programs, recent, denominator=denominator, as_of=filters.as_of, benchmarks=b
        )
    }
    alerts = open_alerts_by_specialist(programs, filters.today, b)
    quality = data_quality_notes(programs, period, drill)

    charts = [
        _trend_chart(programs, period, specialists, denominator, b, drill),
        _starts_chart(programs, period, specialists, drill),
        _contacts_chart(by_specialist, b, filters, drill),
        _caseload_chart(by_specialist, b, drill),
        _first_contact_chart(programs, period, specialists, b, filters.as_of, drill),
        _tenure_chart(programs, period, specialists, filters.as_of, drill),
        _hours_chart(programs, period, specialists, drill),
    ]
    for chart in charts:
        chart.exports = {fmt: filters.export_url(chart.key, fmt) for fmt in ("csv", "xlsx")}
    rows = []
    for user, o in by_specialist:
        r = recent_by_specialist.get(user.pk)
        rows.append(
            {
                "specialist": user,
                "caseload": o.active_caseload,
                "contacts_week": r.employer_contacts_per_specialist_week if r else None,
                "working": o.working,
                "rate": o.employment_rate,
                "band": band_of(o.employment_rate, b, denominator),
                "starts": o.job_starts,
                "alerts": alerts.get(user.pk) if alerts is not None else None,
                "urls": {
                    m: filters.url("reports:drilldown", measure=m, specialist=user.pk) if names_visible else ""
                    for m in ("caseload", "working", "job_starts")
                }
                | {
                    "contacts": filters.url(
                        "reports:drilldown",
                        measure="employer_contacts",
                        specialist=user.pk,
                        start=recent.start.isoformat(),
                        end=recent.end.isoformat(),
                    )
                    if names_visible
                    else "",
                    "dashboard": filters.url("reports:dashboard", specialist=user.pk),
                },
            }
        )
    return {
        "benchmarks": b,
        "outcomes": now,
        "previous_outcomes": before,
        "previous_period": previous,
        "cards": cards,
        "charts": charts,
        "specialist_rows": rows,
        "recent_period": recent,
        "alerts_available": alerts is not None,
        "data_quality": quality,
        "export_urls": {
            f"{dataset}_{fmt}": filters.export_url(dataset, fmt)
            for dataset in ("cards", "specialists", "all")
            for fmt in ("csv", "xlsx")
        },
        "contact_weeks": CONTACT_WEEKS,
        "denominators": Denominator.choices,
        "is_empty": now.active_caseload == 0 and now.job_starts == 0 and now.new_enrollments == 0,
    }


def data_quality_notes(programs, period, drill):
    """[{measure, title, count, url}] of the records metrics.data_quality leaves out (3 queries)."""
    quality = metrics.data_quality(programs, period)
    counts = [
        ("missing_enrollment_date", quality.enrollments_missing_dates.count()),
        ("jobs_missing_fields", quality.jobs_missing_fields.count()),
        ("contacts_missing_mode", quality.contacts_missing_mode.count()),
    ]
    return [{"measure": m, "title": MEASURES[m].title, "count": n, "url": drill(m)} for m, n in counts if n]


def open_alerts_by_specialist(programs, today, benchmarks):
    """{specialist id: clients with at least one open alert}, decided by clients.selectors (the one
    place alerts are defined); one query. None when the clients app offers no alerts."""
    try:
        from clients.selectors import decide, with_status
    except ImportError:  # pragma: no cover - the clients app always ships them
        return None
    from clients.models import Client

    open_clients = Client.objects.filter(program__in=programs, enrollments__closure_date__isnull=True).distinct()
    counts = {}
    for client in with_status(open_clients):
        decide(client, benchmarks, today)
        if client.alerts and client.episode_specialist_id:
            counts[client.episode_specialist_id] = counts.get(client.episode_specialist_id, 0) + 1
    return counts


def _trend_chart(programs, period, specialists, denominator, b, drill):
    trend = metrics.employment_rate_trend(
        programs, period, TREND_QUARTERS, specialists=specialists, denominator=denominator, benchmarks=b
    )
    labels = [p.code for p, _rate in trend]
    series = [
        Series(
            "Employment rate %",
            [r.percent for _p, r in trend],
            [drill("rate_numerator", quarter=p.code) for p, _r in trend],
            color="primary",
        )
    ]
    if denominator == Denominator.OUT_OF_WORK:
        lines = [("IPS Grow benchmark", b.ips_grow_rate, "info")]
    else:
        lines = [
            ("Minimal", b.quarterly_rate_minimal, "danger"),
            ("Average", b.quarterly_rate_average, "warning"),
            ("Excellent", b.quarterly_rate_excellent, "success"),
        ]
    for label, value, color in lines:
        series.append(Series(f"{label} ({float(value):g}%)", [float(value)] * len(labels), kind="target", color=color))
    chart = Chart(
        "rate_trend",
        f"Employment rate, last {TREND_QUARTERS} quarters",
        "Share of active clients who held a competitive job in each quarter, against the IPS benchmarks.",
        "line",
        labels,
        series,
        x_title="Quarter",
        y_title="%",
        y_max=60,
        percent=True,
        zero_is_data=True,
    )
    chart.empty = "No active clients in these quarters." if chart.is_empty else ""
    return chart


def _months_ending(period, n):
    last = period.end.replace(day=1)
    months = []
    year, month = last.year, last.month
    for _ in range(n):
        months.append(Period.month(year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def _per_period(builder, periods):
    """{period code: builder(period).count()} in one query: each period's metrics queryset is a
    subquery of one aggregate, so a month counts exactly what its drill-down lists."""
    if not periods:
        return {}
    model = builder(periods[0]).model
    counts = model.objects.aggregate(
        **{f"p{i}": Count("pk", filter=Q(pk__in=builder(p).values("pk"))) for i, p in enumerate(periods)}
    )
    return {p.code: counts[f"p{i}"] for i, p in enumerate(periods)}


def _starts_chart(programs, period, specialists, drill):
    months = _months_ending(period, MONTHS_OF_STARTS)
    starts = _per_period(lambda m: metrics.job_starts(programs, m, specialists), months)
    firsts = _per_period(lambda m: metrics.first_job_starts(programs, m, specialists), months)
    labels = [m.start.strftime("%b %Y") for m in months]
    chart = Chart(
        "job_starts",
        "Job starts per month",
        f"Competitive job starts in the {MONTHS_OF_STARTS} months to the end of the quarter.",
        "bar",
        labels,
        [
            Series(
                "Job starts",
                [starts[m.code] for m in months],
                [drill("job_starts", month=m.code) for m in months],
                color="primary",
            ),
            Series(
                "First job starts",
                [firsts[m.code] for m in months],
                [drill("first_job_starts", month=m.code) for m in months],
                color="success",
            ),
        ],
        x_title="Month",
        y_title="Job starts",
    )
    chart.empty = "No competitive job started in these months." if chart.is_empty else ""
    return chart


def _contacts_chart(by_specialist, b, filters, drill):
    labels = [str(u) for u, _o in by_specialist]
    target = b.employer_contacts_per_week
    chart = Chart(
        "employer_contacts",
        "Employer contacts per specialist per week",
        f"Face-to-face employer contacts a week in {filters.period.label}, against the target of {target}.",
        "bar",
        labels,
        [
            Series(
                "Contacts a week",
                [_round(o.employer_contacts_per_specialist_week) for _u, o in by_specialist],
                [drill("employer_contacts", specialist=u.pk) for u, _o in by_specialist],
                color="primary",
            ),
            Series(f"Target ({target})", [target] * len(labels), kind="target", type="line", color="danger"),
        ],
        x_title="Specialist",
        y_title="Contacts a week",
    )
    chart.empty = "No specialist logged a face-to-face employer contact in this quarter." if chart.is_empty else ""
    return chart


def _caseload_chart(by_specialist, b, drill):
    labels = [str(u) for u, _o in by_specialist]
    chart = Chart(
        "caseload",
        "Caseload per specialist",
        f"Active clients of each specialist in the quarter, against the maximum of {b.caseload_max}.",
        "bar",
        labels,
        [
            Series(
                "Active clients",
                [o.active_caseload for _u, o in by_specialist],
                [drill("caseload", specialist=u.pk) for u, _o in by_specialist],
                color="primary",
            ),
            Series(
                f"Maximum ({b.caseload_max})",
                [b.caseload_max] * len(labels),
                kind="target",
                type="line",
                color="danger",
            ),
        ],
        x_title="Specialist",
        y_title="Clients",
    )
    chart.empty = "No specialist has active clients in this quarter." if chart.is_empty else ""
    return chart


def first_contact_enrollments(programs, period, specialists, as_of):
    """metrics.first_contact_enrollments with `days` from enrollment to that contact (a timedelta,
    None without a contact), for binning in the database."""
    return metrics.first_contact_enrollments(programs, period, specialists, as_of).annotate(
        days=ExpressionWrapper(F("first_contact_date") - F("enrollment_date"), output_field=DurationField())
    )


def _distribution_chart(key, title, note, records, bins, drill, *, series, x_title, y_title, empty):
    """A bar chart of `records` counted into `bins` (one query), each bar drilling down to its records."""
    counts = _distribution(records, bins)
    chart = Chart(
        key,
        title,
        note,
        "bar",
        [label for label, _q in bins.values()],
        [
            Series(
                series,
                [counts.get(code, 0) for code in bins],
                [drill(key, bin=code) for code in bins],
                color="primary",
            )
        ],
        x_title=x_title,
        y_title=y_title,
    )
    chart.empty = empty if chart.is_empty else ""
    return chart


def _first_contact_chart(programs, period, specialists, b, as_of, drill):
    return _distribution_chart(
        "first_contact",
        "Days to first employer contact",
        "New clients of the quarter by days from enrollment to the first face-to-face employer contact "
        f"(target: {b.first_employer_contact_days} days).",
        first_contact_enrollments(programs, period, specialists, as_of),
        bin_filters("first_contact", b),
        drill,
        series="New clients",
        x_title="Days",
        y_title="Clients",
        empty="No client enrolled in this quarter.",
    )


def _tenure_chart(programs, period, specialists, as_of, drill):
    return _distribution_chart(
        "tenure",
        "Job tenure",
        "Competitive jobs held in the quarter by weeks from start to end (or, still held, to "
        f"{min(as_of, period.end):%-d %b %Y}).",
        jobs_with_tenure(programs, period, specialists, as_of),
        bin_filters("tenure", None),
        drill,
        series="Jobs",
        x_title="Tenure",
        y_title="Jobs",
        empty="No competitive job was held in this quarter.",
    )


def _hours_chart(programs, period, specialists, drill):
    return _distribution_chart(
        "hours",
        "Hours per week",
        "Competitive jobs held in the quarter by hours worked a week.",
        metrics.jobs_held(programs, period, specialists),
        bin_filters("hours", None),
        drill,
        series="Jobs",
        x_title="Hours a week",
        y_title="Jobs",
        empty="No competitive job was held in this quarter.",
    )


def _round(value, digits=1):
    return None if value is None else round(value, digits)


# --- Regional view ----------------------------------------------------------------------------------

FIDELITY_AXIS = (25, 125)  # the IPS-25 total runs from 25 (all items 1) to 125 (all items 5)

REGION_SORTS = {
    "name": ("Program", lambda r: r["program"].name.casefold()),
    "caseload": ("Caseload", lambda r: r["caseload"]),
    "rate": ("Employment rate", lambda r: r["rate"].percent),
    "starts": ("Job starts", lambda r: r["starts"]),
    "fidelity": ("Fidelity total", lambda r: r["fidelity_total"]),
    "trend": ("Trend", lambda r: r["trend"]["value"]),
}


def sort_region_rows(rows, sort):
    """Sort by `sort` ('rate', '-rate', ...); unknown values sort by name; blanks always last."""
    key = sort.lstrip("-")
    if key not in REGION_SORTS:
        key, sort = "name", "name"
    getter = REGION_SORTS[key][1]
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    present.sort(key=getter, reverse=sort.startswith("-"))
    missing.sort(key=lambda r: r["program"].name.casefold())
    return present + missing, sort


def region_sort_links(params, sort):
    """Column headers of the regional table: each links to a sort by that column (names A-Z and
    figures highest first; the active column's link reverses it)."""
    links = []
    for key, (label, _getter) in REGION_SORTS.items():
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        first_direction = key if key == "name" else f"-{key}"
        target = (key if descending else f"-{key}") if active else first_direction
        links.append(
            {
                "key": key,
                "label": label,
                "url": f"{reverse('reports:region')}?{urlencode({**params, 'sort': target})}",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
                "active": active,
                "descending": descending,
            }
        )
    return links


def regional_view(programs, period, today, *, sort="name", denominator=None, benchmarks=None):
    """Programs side by side for one quarter, with the latest fidelity review of each."""
    b = benchmarks or BenchmarkSettings.current()
    qs = Program.objects.filter(pk__in=[p.pk for p in programs])
    previous = period.previous()
    as_of = today
    now = metrics.outcomes_by_program(qs, period, denominator=denominator, as_of=as_of, benchmarks=b)
    before = metrics.outcomes_by_program(qs, previous, denominator=denominator, as_of=as_of, benchmarks=b)
    reviews = latest_reviews(qs)
    total = metrics.outcomes(qs, period, denominator=denominator, as_of=as_of, benchmarks=b)
    rows = []
    for program in programs:
        o, p = now.get(program.pk), before.get(program.pk)
        review = reviews.get(program.pk)
        rate = o.employment_rate if o else Rate(0, 0)
        previous_rate = p.employment_rate if p else Rate(0, 0)
        rows.append(
            {
                "program": program,
                "caseload": o.active_caseload if o else 0,
                "working": o.working if o else 0,
                "rate": rate,
                "band": band_of(rate, b, denominator),
                "starts": o.job_starts if o else 0,
                "previous_rate": previous_rate,
                "trend": change(rate.percent, previous_rate.percent, points=True),
                "review": review,
                "fidelity_total": review.total_score if review else None,
                "fidelity_level": review.level if review else None,
                "dashboard_url": f"{reverse('reports:dashboard')}?"
                + urlencode({"program": program.code, "quarter": period.code}),
            }
        )
    rows, sort = sort_region_rows(rows, sort)
    points = [
        {
            "x": r["fidelity_total"],
            "y": r["rate"].percent,
            "label": r["program"].name,
            "url": r["dashboard_url"],
        }
        for r in rows
        if r["fidelity_total"] is not None and r["rate"].percent is not None
    ]
    low, high = FIDELITY_AXIS
    lines = [
        Series(f"{label} ({float(value):g}%)", [{"x": low, "y": float(value)}, {"x": high, "y": float(value)}], **kw)
        for label, value, kw in [
            ("Minimal", b.quarterly_rate_minimal, {"kind": "target", "type": "line", "color": "danger"}),
            ("Average", b.quarterly_rate_average, {"kind": "target", "type": "line", "color": "warning"}),
            ("Excellent", b.quarterly_rate_excellent, {"kind": "target", "type": "line", "color": "success"}),
        ]
    ]
    lines.append(
        Series(
            f"Good fidelity ({b.fidelity_good_total})",
            [{"x": b.fidelity_good_total, "y": 0}, {"x": b.fidelity_good_total, "y": 100}],
            kind="target",
            type="line",
            color="secondary",
        )
    )
    scatter = Chart(
        "fidelity_vs_rate",
        "Fidelity total against employment rate",
        "Each point is a program: its latest finalized IPS-25 total and its employment rate in the quarter.",
        "scatter",
        [],
        lines,
        x_title="Fidelity total (IPS-25)",
        y_title="Employment rate %",
        y_max=100,
        percent=True,
        points=points,
    )
    scatter.empty = "No program has both a finalized fidelity review and active clients." if scatter.is_empty else ""
    return {
        "benchmarks": b,
        "rows": rows,
        "sort": sort,
        "total": total,
        "total_band": band_of(total.employment_rate, b, denominator),
        "previous_period": previous,
        "charts": [scatter],
    }


REGION_HEADER = [
    "Program",
    "Agency",
    "Active caseload",
    "Working",
    "Employment rate %",
    "Benchmark band",
    "Job starts",
    "Previous quarter rate %",
    "Change (points)",
    "Fidelity total",
    "Fidelity level",
    "Fidelity visit",
]


def region_export_rows(rows):
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


SPECIALIST_HEADER = [
    "Specialist",
    "Active caseload",
    f"Employer contacts a week (last {CONTACT_WEEKS} weeks)",
    "Working",
    "Employment rate %",
    "Benchmark band",
    "Job starts",
    "Clients with open alerts",
]


def specialist_export_rows(rows, alerts_available=True):
    result = []
    for r in rows:
        row = [
            str(r["specialist"]),
            r["caseload"],
            _round(r["contacts_week"]),
            r["working"],
            r["rate"].percent,
            r["band"]["label"],
            r["starts"],
        ]
        if alerts_available:
            row.append(r["alerts"] or 0)
        result.append(row)
    return result


def cards_export_rows(cards):
    return [[c.label, c.raw, c.previous_raw, c.change["value"], c.note] for c in cards]


CARDS_HEADER = ["Measure", "This quarter", "Previous quarter", "Change", "Detail"]


# --- Drill-down -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    title: str
    kind: str  # "clients", "jobs", "enrollments" or "contacts": which list template
    explanation: str


MEASURES = {
    "caseload": Measure("Active caseload", "clients", "Clients enrolled on any day of the period."),
    "working": Measure(
        "Working", "clients", "Active clients who held a competitive job on at least one day of the period."
    ),
    "rate_numerator": Measure(
        "Employment rate: working clients",
        "clients",
        "The working clients the employment rate counts (with the chosen denominator).",
    ),
    "rate_denominator": Measure(
        "Employment rate denominator", "clients", "The clients the employment rate is counted over."
    ),
    "job_starts": Measure("Job starts", "jobs", "Competitive jobs started in the period."),
    "first_job_starts": Measure(
        "First job starts", "jobs", "Clients' first competitive job of their enrollment, started in the period."
    ),
    "jobs_held": Measure("Jobs held", "jobs", "Competitive jobs held on at least one day of the period."),
    "tenure": Measure("Job tenure", "jobs", "Competitive jobs held in the period, by weeks from start to end."),
    "hours": Measure("Hours per week", "jobs", "Competitive jobs held in the period, by hours a week."),
    "new_enrollments": Measure("New enrollments", "enrollments", "Enrollments that started in the period."),
    "closures": Measure("Closures", "enrollments", "Enrollments closed in the period."),
    "first_contact": Measure(
        "Days to first employer contact",
        "enrollments",
        "New clients of the period and the days from enrollment to their first face-to-face employer contact.",
    ),
    "employer_contacts": Measure(
        "Face-to-face employer contacts", "contacts", "Face-to-face employer contacts made in the period."
    ),
    "in_education": Measure("In education", "clients", "Active clients attending school or training."),
    "missing_enrollment_date": Measure(
        "Enrollments without an enrollment date",
        "enrollments",
        "Referrals of the period with no enrollment date: not in the caseload or any rate until the date is "
        "recorded (pending referrals are listed too).",
    ),
    "jobs_missing_fields": Measure(
        "Jobs without hours or occupation group",
        "jobs",
        "Jobs held in the period with no hours a week or no occupation group: left out of the hours figures "
        "and of job-type diversity.",
    ),
    "contacts_missing_mode": Measure(
        "Contacts without a mode", "client_contacts", "Client contacts of the period with no mode recorded."
    ),
}


def drilldown_period(params, filters):
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
    if period.end - period.start > datetime.timedelta(days=400):
        raise Http404("Period too long.")
    return period


def drilldown_queryset(
    measure, programs, period, specialists, *, denominator=None, bin_code="", as_of=None, benchmarks=None
):
    """The records behind one dashboard number: a queryset from outcomes.metrics (optionally one bin)."""
    if measure not in MEASURES:
        raise Http404("No such measure.")
    as_of = as_of or timezone.localdate()
    m = metrics
    querysets = {
        "caseload": lambda: m.active_clients(programs, period, specialists),
        "working": lambda: m.working_clients(programs, period, specialists),
        "rate_numerator": lambda: m.working_clients(programs, period, specialists, denominator=denominator),
        "rate_denominator": lambda: m.active_clients(programs, period, specialists, denominator=denominator),
        "job_starts": lambda: m.job_starts(programs, period, specialists),
        "first_job_starts": lambda: m.first_job_starts(programs, period, specialists),
        "jobs_held": lambda: m.jobs_held(programs, period, specialists),
        "tenure": lambda: jobs_with_tenure(programs, period, specialists, as_of),
        "hours": lambda: m.jobs_held(programs, period, specialists),
        "new_enrollments": lambda: m.new_enrollments(programs, period, specialists),
        "closures": lambda: m.closures(programs, period, specialists),
        "first_contact": lambda: first_contact_enrollments(programs, period, specialists, as_of),
        "employer_contacts": lambda: m.employer_contacts(programs, period, specialists),
        "in_education": lambda: m.clients_in_education(programs, period, specialists),
        "missing_enrollment_date": lambda: m.data_quality(programs, period).enrollments_missing_dates,
        "jobs_missing_fields": lambda: m.data_quality(programs, period).jobs_missing_fields,
        "contacts_missing_mode": lambda: m.data_quality(programs, period).contacts_missing_mode,
    }
    queryset = querysets[measure]()
    bin_label = ""
    if bin_code:
        bins = drilldown_bins(measure, benchmarks or BenchmarkSettings.current(), as_of)
        if bin_code not in bins:
            raise Http404("No such bin.")
        bin_label, q = bins[bin_code]
        queryset = queryset.filter(q)
    return _with_related(MEASURES[measure].kind, queryset), bin_label


def _with_related(kind, queryset):
    if kind == "clients":
        return queryset.select_related("program", "treatment_team").order_by("last_name", "first_name", "pk")
    if kind == "jobs":
        return queryset.select_related("client__program", "employer").order_by("-start_date", "pk")
    if kind == "enrollments":
        return queryset.select_related("client__program", "specialist").order_by("-enrollment_date", "pk")
    if kind == "client_contacts":
        return queryset.select_related("client", "staff").order_by("-contact_date", "pk")
    return queryset.select_related("employer", "specialist").prefetch_related("clients").order_by("-contact_date", "pk")


def _client_url_maker():
    """A function client id -> URL of the client's record (None if the clients app has no page)."""
    try:
        reverse("clients:client_detail", args=[0])
    except NoReverseMatch:
        return None
    return lambda pk: reverse("clients:client_detail", args=[pk])


def with_record_urls(kind, records):
    """Set `record_url` on each listed client (no queries)."""
    make = _client_url_maker()
    for record in records:
        client = record if kind == "clients" else getattr(record, "client", None)
        if client is not None:
            client.record_url = make(client.pk) if make else ""
    return records


def drilldown_export(kind, records):
    """(header, rows) of a drill-down list for CSV/XLSX (client names included: callers check access)."""
    if kind == "clients":
        return ["Client", "Record number", "Program"], [
            [c.display_name, c.record_number, c.program.name] for c in records
        ]
    if kind == "jobs":
        return (
            ["Client", "Record number", "Employer", "Job title", "Start", "End", "Hours a week", "Hourly wage"],
            [
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
            ],
        )
    if kind == "enrollments":
        return (
            [
                "Client",
                "Record number",
                "Specialist",
                "Referred",
                "Enrolled",
                "Closed",
                "First employer contact",
                "Days",
            ],
            [
                [
                    e.client.display_name,
                    e.client.record_number,
                    str(e.specialist or ""),
                    e.referral_date,
                    e.enrollment_date,
                    e.closure_date,
                    getattr(e, "first_contact_date", None),
                    e.days.days if getattr(e, "days", None) is not None else None,
                ]
                for e in records
            ],
        )
    if kind == "client_contacts":
        return (
            ["Date", "Client", "Record number", "Staff", "With", "Place"],
            [
                [
                    c.contact_date,
                    c.client.display_name,
                    c.client.record_number,
                    str(c.staff or ""),
                    c.get_with_whom_display(),
                    c.get_place_display(),
                ]
                for c in records
            ],
        )
    return (
        ["Date", "Employer", "Specialist", "Face to face", "Clients discussed"],
        [
            [
                c.contact_date,
                c.employer.name,
                str(c.specialist or ""),
                "yes" if c.face_to_face else "no",
                "; ".join(x.display_name for x in c.clients.all()),
            ]
            for c in records
        ],
    )
