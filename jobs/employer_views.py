"""Employers: the list with search, create, edit and the employer's page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.services import record_shown
from core.errors import RuleViolation, add_to_form
from core.idempotency import idempotent
from programs.access import Capability, can, get_scoped_or_404, programs_for

from . import selectors, services
from .forms import EmployerForm
from .views import sentence

EDIT = Capability.EDIT_CLIENTS


@login_required
def employer_list(request):
    """Search first. With `hint`, the htmx answer under a form's "new employer" field: which
    known employers (of `program`, within the user's scope) the typed name matches."""
    if request.htmx and request.GET.get("hint"):
        return _employer_hint(request)
    q = request.GET.get("q", "").strip()[:160]
    employers = selectors.employers_for(request.user)
    results = selectors.employer_list(selectors.search_employers(employers, q))
    page = Paginator(results, 30).get_page(request.GET.get("page"))
    context = {
        "q": q,
        "page": page,
        "exact": selectors.exact_match(employers, q) if q else None,
        "can_add": programs_for(request.user, EDIT).exists(),
        "add_url": reverse("jobs:employer_create") + (f"?{urlencode({'name': q})}" if q else ""),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "jobs/_employer_results.html", context)
    return render(request, "jobs/employer_list.html", context)


def _employer_hint(request):
    q = request.GET.get("employer_name", "").strip()[:160]
    employers = selectors.employers_for(request.user, EDIT)
    program_id = request.GET.get("program", "")
    if program_id.isdigit():
        employers = employers.filter(program_id=program_id)
    exact = selectors.exact_match(employers, q) if len(q) >= 2 else None
    similar = list(selectors.search_employers(employers, q).order_by("name")[:5]) if len(q) >= 2 else []
    return render(request, "jobs/_employer_hint.html", {"q": q, "exact": exact, "similar": similar})


@login_required
@idempotent
def employer_create(request):
    programs = list(programs_for(request.user, EDIT))
    if not programs:
        raise Http404("No program to add an employer to.")
    initial = {"name": request.GET.get("name", "")[:160]}
    form = EmployerForm(request.POST or None, programs=programs, initial=initial)
    if request.method == "POST" and form.is_valid() and _employer_saved(request, form):
        messages.success(request, sentence(f"Employer added: {form.instance.name}"))
        return redirect("jobs:employer_detail", form.instance.pk)
    return render(request, "jobs/employer_form.html", {"form": form})


def _employer_saved(request, form):
    """Save the form's employer; a duplicate name points at the existing employer."""
    try:
        services.save_employer(form.instance, user=request.user, version=form.submitted_version)
    except services.DuplicateEmployer as duplicate:
        form.duplicate_error(duplicate.existing)
        return False
    except RuleViolation as exc:
        add_to_form(form, exc)
        return False
    return True


@login_required
def employer_edit(request, pk):
    employer = get_scoped_or_404(selectors.employers_for(request.user, EDIT), request.user, EDIT, pk=pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid() and _employer_saved(request, form):
        messages.success(request, sentence(f"Employer saved: {employer.name}"))
        return redirect("jobs:employer_detail", employer.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": employer})


@login_required
def employer_detail(request, pk):
    employer = get_scoped_or_404(selectors.employers_for(request.user), request.user, Capability.VIEW_AGGREGATES, pk=pk)
    show_clients = can(request.user, Capability.VIEW_CLIENTS, employer.program_id)
    contacts = Paginator(selectors.employer_contacts(employer), 25).get_page(request.GET.get("page"))
    jobs = list(selectors.employer_jobs(employer)[:50]) if show_clients else None
    # The clients named on the page (jobs and contacts), for "who looked at this client".
    named = {j.client_id for j in jobs or []} | {c.pk for x in contacts.object_list for c in x.clients.all()}
    shown = sorted(named) if show_clients else []
    record_shown(request, "clients.client", shown, clients=[(c, employer.program_id) for c in shown], obj=employer)
    return render(
        request,
        "jobs/employer_detail.html",
        {
            "employer": employer,
            "summary": selectors.employer_job_summary(employer),
            "jobs": jobs,
            "contacts": contacts,
            "show_clients": show_clients,
            "can_edit": can(request.user, EDIT, employer.program_id),
        },
    )


# Job development -----------------------------------------------------------------------------
