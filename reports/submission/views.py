"""Quarterly submission downloads (CSV or XLSX), per program and per region; each download is audited as
an export of every program in it. Rows and columns: selectors.py and docs/submission.md."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record
from benchmarks.models import BenchmarkSettings
from core.exports import table_response

from . import selectors


def _download(request, programs, scope_code, quarter, variant_slug, fmt):
    if fmt not in selectors.FORMATS:
        raise Http404("No such format.")
    variant = selectors.variant_or_404(variant_slug)
    today = timezone.localdate()
    period = selectors.quarter_or_404(quarter, today, BenchmarkSettings.current())
    rows = selectors.submission_rows(programs, period, variant, today)
    for program in programs:
        record(
            request,
            Action.EXPORT,
            program,
            detail={"export": "submission", "variant": variant.slug, "format": fmt, "quarter": period.code},
        )
    filename = f"submission-{variant.slug}-{scope_code}-{period.code}"
    return table_response(fmt, filename, f"{variant.title} {period.code}", selectors.HEADER, rows)


@login_required
@require_GET
def program_submission(request, code, quarter, variant, fmt):
    programs = selectors.program_for(request.user, code)
    return _download(request, programs, code, quarter, variant, fmt)


@login_required
@require_GET
def region_submission(request, code, quarter, variant, fmt):
    region, programs = selectors.region_for(request.user, code)
    return _download(request, programs, f"region-{region.code}", quarter, variant, fmt)
