"""Supervisor dashboard, drill-downs, regional view and their CSV/XLSX exports.

Thin views: filters (reports.dashboard.filters) and figures (supervisor, region, drilldown, which call
outcomes.metrics);
access goes through programs/access.py (another program's or region's figures are a 404); client
lists need VIEW_CLIENTS on every program shown and are audited; every download is audited.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record, record_shown
from benchmarks.models import BenchmarkSettings
from core.exports import csv_response, table_response, xlsx_response
from reports.submission.selectors import has_ended

from . import exports
from .drilldown import drilldown_for, drilldown_period
from .filters import client_program_ids, parse_filters, parse_quarter, quarter_choices, region_programs
from .region import region_page, region_sort_links, regional_view
from .supervisor import supervisor_dashboard

DRILLDOWN_PAGE = 100
FORMATS = ("csv", "xlsx")


def _audit(request, action, programs, **detail):
    for program in programs:
        record(request, action, program, detail=detail)


def _dashboard(request):
    filters = parse_filters(request.user, request.GET, timezone.localdate())
    names_visible = set(filters.program_ids) <= client_program_ids(request.user, filters.program_ids)
    data = supervisor_dashboard(filters, names_visible=names_visible)
    return filters, names_visible, data


@login_required
@require_GET
def dashboard(request):
    filters, names_visible, data = _dashboard(request)
    return render(
        request,
        "reports/dashboard.html",
        {"filters": filters, "names_visible": names_visible, **data},
    )


def _export_name(prefix, filters, dataset):
    scope = filters.program.code if filters.program else "all-programs"
    return f"{prefix}-{scope}-{filters.period.code}-{dataset}"


@login_required
@require_GET
def dashboard_export(request, dataset, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format.")
    filters = parse_filters(request.user, request.GET, timezone.localdate())
    # Only the figures of the table(s) asked for, not the whole dashboard.
    if dataset == "all":
        if fmt != "xlsx":
            raise Http404("The whole dashboard exports as XLSX.")
        tables = exports.dashboard_tables(filters)
        response = xlsx_response(_export_name("dashboard", filters, "all"), list(tables.values()))
    elif dataset in exports.DATASETS:
        title, header, rows = exports.dashboard_tables(filters, (dataset,))[dataset]
        response = table_response(fmt, _export_name("dashboard", filters, dataset), title, header, rows)
    else:
        raise Http404("No such table.")
    _audit(
        request,
        Action.EXPORT,
        filters.programs,
        export="dashboard",
        dataset=dataset,
        format=fmt,
        period=filters.period.code,
        specialist=filters.specialist.pk if filters.specialist else None,
    )
    return response


@login_required
@require_GET
def drilldown(request):
    """The clients, jobs, enrollments or contacts behind one dashboard number (VIEW_CLIENTS only)."""
    filters = parse_filters(request.user, request.GET, timezone.localdate())
    if not set(filters.program_ids) <= client_program_ids(request.user, filters.program_ids):
        raise Http404("Client lists are not available to you.")
    drill = drilldown_for(request.GET.get("measure", ""))
    period = drilldown_period(request.GET, filters)
    queryset, bin_label = drill.records(filters, period, request.GET.get("bin", ""))
    detail = {
        "measure": drill.key,
        "period": period.code,
        "bin": request.GET.get("bin", ""),
        "specialist": filters.specialist.pk if filters.specialist else None,
    }
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            raise Http404("No such format.")
        header, rows = drill.listing.export(queryset)
        record_shown(
            request,
            queryset.model._meta.label_lower,
            queryset.values_list("pk", flat=True),
            clients=drill.exported_clients(queryset),
            action=Action.EXPORT,
            detail={"export": "drilldown", "format": fmt, "programs": [p.pk for p in filters.programs], **detail},
        )
        return table_response(fmt, _export_name("clients", filters, drill.key), drill.measure.label, header, rows)
    page = Paginator(queryset, DRILLDOWN_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_shown(
        request,
        queryset.model._meta.label_lower,
        [r.pk for r in shown],
        clients=drill.shown_clients(shown),
        detail={"page": "drilldown", "programs": [p.pk for p in filters.programs], **detail},
    )
    return render(
        request,
        "reports/dashboards/drilldown.html",
        {
            "filters": filters,
            "drill": drill,
            "period": period,
            "bin_label": bin_label,
            "page": page,
            "records": drill.with_record_urls(shown),
            "query": urlencode(filters.params(measure=drill.key, **_passthrough(request.GET))),
            "dashboard_url": filters.url("reports:dashboard"),
        },
    )


def _passthrough(params):
    return {k: params.get(k) for k in ("month", "start", "end", "bin") if params.get(k)}


def _region(request):
    today = timezone.localdate()
    regions, region, programs = region_programs(request.user, request.GET.get("region", ""))
    benchmarks = BenchmarkSettings.current()
    period = parse_quarter(request.GET.get("quarter", ""), today, benchmarks.quarter_start_month)
    data = regional_view(programs, period, today, sort=request.GET.get("sort", "name"), benchmarks=benchmarks)
    return regions, region, programs, period, data, today


@login_required
@require_GET
def region(request):
    regions, region, programs, period, data, today = _region(request)
    params = {"region": region.code, "quarter": period.code}
    exports = {
        fmt: f"{reverse('reports:region_export', args=[fmt])}?{urlencode({**params, 'sort': data['sort']})}"
        for fmt in FORMATS
    }
    for chart in data["charts"]:
        chart.exports = exports
    return render(
        request,
        "reports/dashboards/region.html",
        {
            "regions": regions,
            "region": region,
            "programs": programs,
            "period": period,
            "quarters": quarter_choices(today, data["benchmarks"].quarter_start_month),
            "sort_links": region_sort_links(params, data["sort"]),
            "export_urls": exports,
            # A running quarter has no submission yet (its download is a 404).
            "submission_ready": has_ended(period, today),
            **data,
            # One page of the sorted rows (the scatter, the total and the exports keep them all).
            **region_page(data["rows"], request.GET.get("page"), {**params, "sort": data["sort"]}),
        },
    )


@login_required
@require_GET
def region_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format.")
    _regions, region, programs, period, data, _today = _region(request)
    rows = exports.region_rows(data["rows"])
    name = f"region-{region.code}-{period.code}"
    if fmt == "csv":
        response = csv_response(name, exports.REGION_HEADER, rows)
    else:
        scatter = data["charts"][0]
        response = xlsx_response(
            name,
            [
                (f"Programs {period.code}", exports.REGION_HEADER, rows),
                (scatter.title, scatter.header(), scatter.export_rows()),
            ],
        )
    with transaction.atomic():  # one commit for the region's entries, not one per program
        _audit(request, Action.EXPORT, programs, export="region", format=fmt, period=period.code)
    return response
