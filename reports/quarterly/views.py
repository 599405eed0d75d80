"""Quarterly report pages: list and request, progress (htmx polling), report, exports.

Thin views: access through `reports.quarterly.selectors` (programs/access.py underneath), writes
through `reports.quarterly.services`. The request never waits on a worker nor on the broker (the send runs
in a background thread after the commit); with a broker that is down the request stays queued (never a
500, never a hung page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from audit.models import Action
from audit.services import record_shown
from core.errors import RuleViolation, add_to_form
from core.exports import csv_response, xlsx_response
from core.pdf import pdf_response
from reports.models import QuarterlyReport, ReportStatus

from . import present, quality, selectors, services
from .forms import QuarterlyFilterForm, QuarterlyRequestForm


def _retryable(report):
    """A failed report, or one stuck past its limit (services.stuck): the Retry button shows."""
    return report.status == ReportStatus.FAILED or services.is_stuck(report)


def _require_reports(user):
    if not selectors.can_see_reports(user):
        raise Http404("No such page.")


@login_required
@require_GET
def quarterly_list(request):
    _require_reports(request.user)
    return _list_page(request, QuarterlyRequestForm(user=request.user))


PAGE_SIZE = 50


def _list_page(request, form, status=200):
    """The request form and the filtered, paged list. Filters are GET parameters (kept in the pager
    links); invalid filters (e.g. a program outside the user's reach) list nothing."""
    filters = QuarterlyFilterForm(request.GET, user=request.user)
    reports = (
        selectors.report_list(request.user, **filters.filters())
        if filters.is_valid()
        else QuarterlyReport.objects.none()
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "filtered": any(request.GET.get(name) for name in filters.fields),
        "page_obj": page,
        "reports": page.object_list,
        "retryable": {r.pk for r in page.object_list if _retryable(r)},
    }
    return render(request, "reports/quarterly/list.html", context, status=status)


@login_required
@require_POST
def quarterly_request(request):
    _require_reports(request.user)
    form = QuarterlyRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        report, created = services.request_report(
            form.cleaned_data["target"], form.cleaned_data["quarter"], user=request.user
        )
    except RuleViolation as exc:
        add_to_form(form, exc)
        return _list_page(request, form, status=409)
    if not created:  # (a new one is audited by the service, in its transaction)
        messages.info(request, "This report is already being generated.")
    return redirect("reports:quarterly_detail", pk=report.pk)


@login_required
@require_GET
def quarterly_detail(request, pk):
    report = selectors.get_report_or_404(request.user, pk)
    visible = _audit_shown(request, report, Action.VIEW, {})
    context = _report_context(report, visible) if report.status == ReportStatus.DONE else _status_context(report)
    context["versions"] = selectors.versions_of(report)
    return render(request, "reports/quarterly/detail.html", context)


def _audit_shown(request, report, action, detail):
    """Audit the report and the clients its data-quality lists show the user (none to trainers,
    who see counts only); True if the lists are shown."""
    visible = quality.records_visible(request.user, report)
    clients = quality.quality_clients(report) if visible and report.status == ReportStatus.DONE else []
    record_shown(
        request, "clients.client", [c for c, _p in clients], clients=clients, obj=report, action=action, detail=detail
    )
    return visible


def _report_context(report, records_visible=True):
    data = report.data
    title, first, rows = present.breakdown(data)
    return {
        "report": report,
        "data": data,
        "totals": present.measure_table(data.get("totals", {}), (report.benchmarks or {}).get("small_numbers_min")),
        "breakdown_title": title,
        "breakdown_first": first,
        "breakdown_rows": rows,
        "table_headers": present.table_headers(),
        "quality": present.quality_sections(data, records_visible=records_visible),
        "quality_records_visible": records_visible,
        "chart": present.trend_chart(data, report.benchmarks),
        "benchmark_rows": present.benchmark_rows(report.benchmarks),
    }


@login_required
@require_GET
def quarterly_status(request, pk):
    """The status fragment polled by htmx every 2 s until the report is done or failed."""
    report = selectors.get_report_or_404(request.user, pk)
    if report.status == ReportStatus.DONE and request.htmx:
        # Open the finished report (without htmx, the fragment carries a link to it).
        return HttpResponseClientRedirect(reverse("reports:quarterly_detail", args=[report.pk]))
    return render(request, "reports/quarterly/_status.html", _status_context(report))


def _status_context(report):
    return {"report": report, "retryable": _retryable(report)}


@login_required
@require_POST
def quarterly_retry(request, pk):
    """Queue a failed or stuck report again (same version; audited by the service). The dispatch runs
    after the response (services.dispatch_on_commit): a frozen broker does not hold this request."""
    report = selectors.get_report_or_404(request.user, pk)
    try:
        services.retry_report(report, user=request.user)
    except RuleViolation as exc:
        messages.info(request, " ".join(exc.messages))
    return redirect("reports:quarterly_detail", pk=report.pk)


@login_required
@require_GET
def quarterly_export(request, pk, fmt):
    report = selectors.get_report_or_404(request.user, pk)
    if report.status != ReportStatus.DONE or fmt not in ("csv", "xlsx", "pdf"):
        raise Http404("No such export.")
    visible = _audit_shown(request, report, Action.EXPORT, {"format": fmt, "report": report.pk})
    filename = services.export_filename(report, fmt)
    if fmt == "csv":
        rows = present.csv_rows(report, records_visible=visible)
        return csv_response(filename, ["Section", "Row", "Column", "Value"], rows)
    if fmt == "xlsx":
        return xlsx_response(filename, present.export_sheets(report, records_visible=visible))
    return pdf_response("reports/quarterly/pdf.html", _report_context(report, visible), request, filename)
