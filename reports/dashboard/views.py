"""Supervisor dashboard, drill-downs, regional view and their CSV/XLSX exports.

Thin views: filters and figures come from reports.dashboard.selectors (which calls outcomes.metrics);
access goes through programs/access.py (another program's or region's figures are a 404); client
lists need VIEW_CLIENTS on every program shown and are audited; every download is audited.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record
from benchmarks.models import BenchmarkSettings
from core.exports import csv_response, table_response, xlsx_response
from reports.dashboard import selectors as sel

DRILLDOWN_PAGE = 100
FORMATS = ("csv", "xlsx")


def _audit(request, action, programs, **detail):
    for program in programs:
        record(request, action, program, detail=detail)


def _dashboard(request):
    filters = sel.parse_filters(request.user, request.GET, timezone.localdate())
    names_visible = set(filters.program_ids) <= sel.client_program_ids(request.user, filters.program_ids)
    data = sel.supervisor_dashboard(filters, names_visible=names_visible)
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


def _dashboard_tables(filters, data):
    """{dataset: (title, header, rows)} of everything the dashboard shows."""
    header = sel.SPECIALIST_HEADER if data["alerts_available"] else sel.SPECIALIST_HEADER[:-1]
    tables = {
        "cards": (f"Summary {filters.period.code}", sel.CARDS_HEADER, sel.cards_export_rows(data["cards"])),
        "specialists": (
            "By specialist",
            header,
            sel.specialist_export_rows(data["specialist_rows"], data["alerts_available"]),
        ),
    }
    for chart in data["charts"]:
        tables[chart.key] = (chart.title, chart.header(), chart.export_rows())
    return tables


def _export_name(prefix, filters, dataset):
    scope = filters.program.code if filters.program else "all-programs"
    return f"{prefix}-{scope}-{filters.period.code}-{dataset}"


@login_required
@require_GET
def dashboard_export(request, dataset, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format.")
    filters, _names_visible, data = _dashboard(request)
    tables = _dashboard_tables(filters, data)
    if dataset == "all":
        if fmt != "xlsx":
            raise Http404("The whole dashboard exports as XLSX.")
        response = xlsx_response(_export_name("dashboard", filters, "all"), list(tables.values()))
    elif dataset in tables:
        title, header, rows = tables[dataset]
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
    filters = sel.parse_filters(request.user, request.GET, timezone.localdate())
    if not set(filters.program_ids) <= sel.client_program_ids(request.user, filters.program_ids):
        raise Http404("Client lists are not available to you.")
    measure = request.GET.get("measure", "")
    if measure not in sel.MEASURES:
        raise Http404("No such measure.")
    info = sel.MEASURES[measure]
    period = sel.drilldown_period(request.GET, filters)
    queryset, bin_label = sel.drilldown_queryset(
        measure,
        filters.program_qs,
        period,
        filters.specialist_ids,
        denominator=filters.denominator,
        bin_code=request.GET.get("bin", ""),
        as_of=filters.as_of,
        benchmarks=filters.benchmarks,
    )
    detail = {
        "measure": measure,
        "period": period.code,
        "bin": request.GET.get("bin", ""),
        "specialist": filters.specialist.pk if filters.specialist else None,
    }
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in FORMATS:
            raise Http404("No such format.")
        header, rows = sel.drilldown_export(info.kind, queryset)
        _audit(request, Action.EXPORT, filters.programs, export="drilldown", format=fmt, **detail)
        return table_response(fmt, _export_name("clients", filters, measure), info.title, header, rows)
    page = Paginator(queryset, DRILLDOWN_PAGE).get_page(request.GET.get("page"))
    records = sel.with_record_urls(info.kind, list(page.object_list))
    _audit(request, Action.VIEW, filters.programs, **detail)
    return render(
        request,
        "reports/dashboards/drilldown.html",
        {
            "filters": filters,
            "measure": measure,
            "info": info,
            "period": period,
            "bin_label": bin_label,
            "page": page,
            "records": records,
            "query": urlencode(filters.params(measure=measure, **_passthrough(request.GET))),
            "dashboard_url": filters.url("reports:dashboard"),
        },
    )


def _passthrough(params):
    return {k: params.get(k) for k in ("month", "start", "end", "bin") if params.get(k)}


def _region(request):
    today = timezone.localdate()
    regions, region, programs = sel.region_programs(request.user, request.GET.get("region", ""))
    benchmarks = BenchmarkSettings.current()
    period = sel.parse_quarter(request.GET.get("quarter", ""), today, benchmarks.quarter_start_month)
    data = sel.regional_view(programs, period, today, sort=request.GET.get("sort", "name"), benchmarks=benchmarks)
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
            "quarters": sel.quarter_choices(today, data["benchmarks"].quarter_start_month),
            "sort_links": sel.region_sort_links(params, data["sort"]),
            "export_urls": exports,
            **data,
        },
    )


@login_required
@require_GET
def region_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format.")
    _regions, region, programs, period, data, _today = _region(request)
    rows = sel.region_export_rows(data["rows"])
    name = f"region-{region.code}-{period.code}"
    if fmt == "csv":
        response = csv_response(name, sel.REGION_HEADER, rows)
    else:
        scatter = data["charts"][0]
        response = xlsx_response(
            name,
            [
                (f"Programs {period.code}", sel.REGION_HEADER, rows),
                (scatter.title, scatter.header(), scatter.export_rows()),
            ],
        )
    _audit(request, Action.EXPORT, programs, export="region", format=fmt, period=period.code)
    return response
