"""The import pages: upload a file, map unknown columns, dry run, import; large files show their
progress while the worker runs them (htmx polling)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation, add_to_form
from programs.access import get_scoped_or_404, programs_for, scope

from . import services
from .forms import UploadForm
from .kinds import KINDS
from .models import ImportJob
from .reading import IGNORE, FileError, map_headers, read


@login_required
def index(request: HttpRequest) -> HttpResponse:
    programs = programs_for(request.user, services.CAPABILITY)
    if not programs.exists():
        raise Http404("No program to import into.")
    form = UploadForm(request.POST or None, request.FILES or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.create_job(
                user=request.user,
                program=form.cleaned_data["program"],
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
            )
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            return redirect("imports:job", pk=job.pk)
    jobs = scope(ImportJob.objects.select_related("program", "user"), request.user, services.CAPABILITY)[:20]
    status = 400 if form.errors else 200
    return render(request, "imports/index.html", {"form": form, "kinds": KINDS.values(), "jobs": jobs}, status=status)


@require_GET
@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such kind of import.")
    response = HttpResponse(KINDS[kind].template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{kind}.csv"'
    return response


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_scoped_or_404(
        ImportJob.objects.select_related("program", "user"), request.user, services.CAPABILITY, pk=pk
    )


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    kind = KINDS[job.kind]
    try:
        headers = read(job.filename, bytes(job.content)).headers
    except FileError:
        headers = []
    chosen = dict(job.mapping)
    if request.method == "POST":
        # The mapping form: one select per header the import does not know by name.
        chosen = {h: request.POST.get(f"map-{i}", IGNORE) for i, h in enumerate(headers) if f"map-{i}" in request.POST}
        try:
            services.start(job, user=request.user, dry_run=request.POST.get("action") != "commit", mapping=chosen)
        except RuleViolation as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("imports:job", pk=job.pk)
    record(request, Action.VIEW, job)
    known = map_headers(kind, headers, {})
    rows = job.result.get("rows", []) if job.result else []
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "kind": kind,
            "unknown": [(i, h, chosen.get(h, IGNORE)) for i, h in enumerate(headers) if h in known.unknown],
            "missing": map_headers(kind, headers, chosen).missing,
            "result": job.result,
            "problem_rows": [r for r in rows if r["errors"]],
            "listed_rows": rows,
        },
    )


@require_GET
@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # finished: show the whole outcome
    return response
