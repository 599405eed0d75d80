"""Pages of the specialist's working day: My caseload, the client record and their forms.

Views stay thin: reads come from selectors.py, writes go through services.py, every lookup goes
through the access layer (another program's record is a 404) and every page is audited.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import record
from core.locking import EditConflict
from programs.access import Capability, get_scoped_or_404, programs_for, roles_of, scope

from . import selectors, services
from .forms import (
    BenefitsSessionForm,
    CareerProfileForm,
    ClosureForm,
    ContactForm,
    EmploymentPlanForm,
    EnrollForm,
    PlanStepForm,
    ReenrollForm,
    ReferralForm,
    WorkHistoryEntryForm,
)
from .models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)

VIEW, EDIT = Capability.VIEW_CLIENTS, Capability.EDIT_CLIENTS


def _client(request, pk, capability=VIEW):
    return get_scoped_or_404(Client.objects.select_related("program"), request.user, capability, pk=pk)


def _in_client(queryset, request, **lookup):
    """A record of the client (`queryset` is already limited to it), through the access layer."""
    return get_scoped_or_404(queryset, request.user, EDIT, **lookup)


def _data(form):
    """The cleaned values a service takes (without the optimistic-locking version)."""
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _form_page(
    request, form, *, client, title, save, action, success, submit="Save", intro="", danger=False, extra=None
):
    """Validate, save through `save(form)` in one transaction, audit and redirect; else re-render
    with the input kept and each error by its field (and another editor's change when it conflicts)."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = save(form)
        except EditConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            record(request, action, obj)
            messages.success(request, success)
            return redirect(_safe_next(request, reverse("clients:client_detail", args=[client.pk])))
    if request.method == "GET":
        shown = getattr(form, "instance", None)
        record(request, Action.VIEW, shown if getattr(shown, "pk", None) else client)
    return render(
        request,
        "clients/form.html",
        {
            "form": form,
            "client": client,
            "title": title,
            "submit": submit,
            "intro": intro,
            "danger": danger,
            **(extra or {}),
        },
    )


# --- My caseload -----------------------------------------------------------------------------------


@login_required
def caseload(request):
    if not programs_for(request.user, VIEW).exists():
        raise Http404("No client caseload.")
    get = request.GET
    scope_choice = get.get("scope") if get.get("scope") in ("mine", "program") else None
    scope_choice = scope_choice or selectors.default_scope(roles_of(request.user))
    phase = get.get("phase") if get.get("phase") in selectors.Phase.LABELS else ""
    alert = get.get("alert") if get.get("alert") in {"any", *selectors.AlertCode.LABELS} else ""
    sort = get.get("sort") if get.get("sort") in selectors.SORTS else "name"
    q = get.get("q", "").strip()[:80]
    data = selectors.caseload(
        request.user, whole_program=scope_choice == "program", phase=phase, alert=alert, q=q, sort=sort
    )
    record(request, Action.VIEW, detail={"page": "caseload", "scope": scope_choice, "clients": len(data.rows)})
    context = {
        "data": data,
        "scope": scope_choice,
        "phase": phase,
        "alert": alert,
        "sort": sort,
        "q": q,
        "whole": scope_choice == "program",
        "programs": list(programs_for(request.user, VIEW).order_by("name")),
        "phase_options": [(c, label, data.phase_counts[c]) for c, label in selectors.Phase.CHOICES],
        "alert_options": [(c, label, data.alert_counts[c]) for c, label in selectors.AlertCode.CHOICES],
        "sorts": selectors.SORTS.items(),
        "filtered": bool(phase or alert or q),
        "quick_defaults": ContactForm().initial,
        "can_refer": programs_for(request.user, EDIT).exists(),
    }
    return render(request, "clients/caseload.html", context)


# --- Client record ---------------------------------------------------------------------------------


@login_required
def client_detail(request, pk):
    clients = scope(Client.objects.all(), request.user, VIEW)
    try:
        client = selectors.client_status(clients, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404("No such client.") from exc
    record(request, Action.VIEW, client)
    if request.GET.get("part") == "facts":
        return render(request, "clients/_client_facts.html", {"client": client})
    try:
        pages = max(1, min(int(request.GET.get("tpage", 1)), 40))
    except ValueError:
        pages = 1
    items, has_more = selectors.timeline(client, page=1, size=selectors.TIMELINE_PAGE * pages)
    context = {
        "client": client,
        "timeline": items,
        "has_more": has_more,
        "next_page": pages + 1,
        "quick_form": ContactForm(auto_id="qc_%s"),
        **selectors.client_sections(client),
    }
    return render(request, "clients/client_detail.html", context)


@login_required
def client_timeline(request, pk):
    """One page of the timeline (htmx "show more" and the refresh after a contact is logged)."""
    client = _client(request, pk)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    items, has_more = selectors.timeline(client, page=page)
    record(request, Action.VIEW, client, detail={"timeline_page": page})
    return render(
        request,
        "clients/_timeline_items.html",
        {"client": client, "timeline": items, "has_more": has_more, "next_page": page + 1, "paged": True},
    )


# --- Contacts --------------------------------------------------------------------------------------


def _row_context(request, client, *, form=None, saved=False):
    """One caseload row re-rendered after a quick log (with the form's input when it failed)."""
    row = selectors.client_status(scope(Client.objects.all(), request.user, VIEW), pk=client.pk)
    return {
        "row": row,
        "form": form,
        "saved": saved,
        "quick_defaults": form.data if form is not None else ContactForm().initial,
        "show_specialist": row.episode_specialist_id != request.user.pk,
    }


def _contact_saved_response(request, client, contact, where):
    record(request, Action.CREATE, contact)
    if request.htmx:
        if where == "caseload":
            response = render(request, "clients/_caseload_row.html", _row_context(request, client, saved=True))
        else:
            response = render(
                request,
                "clients/_quick_contact.html",
                {"client": client, "form": ContactForm(auto_id="qc_%s"), "saved": True},
            )
        response["HX-Trigger"] = json.dumps({"contactLogged": {"client": client.pk}})
        return response
    messages.success(request, "Contact saved.")
    return redirect(_safe_next(request, reverse("clients:client_detail", args=[client.pk])))


def _contact_page(request, client, form):
    if request.method == "GET":
        record(request, Action.VIEW, client)
    context = {"client": client, "form": form, "title": "Log a contact", "submit": "Save contact"}
    return render(request, "clients/form.html", context)


@login_required
@require_POST
def quick_contact(request, pk):
    """The quick log: today, face to face, in the community, with the client unless changed."""
    client = _client(request, pk, EDIT)
    where = request.POST.get("from", "record")
    # Whatever the quick log leaves out takes the defaults; "today" is decided when it is saved.
    data = request.POST.copy()
    for name, value in ContactForm().initial.items():
        data.setdefault(name, value.isoformat() if hasattr(value, "isoformat") else value)
    form = ContactForm(data, auto_id=f"qc{client.pk}_%s" if where == "caseload" else "qc_%s")
    if form.is_valid():
        try:
            contact = services.log_contact(request.user, client, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _contact_saved_response(request, client, contact, where)
    if request.htmx and where == "caseload":
        return render(request, "clients/_caseload_row.html", _row_context(request, client, form=form))
    if request.htmx:
        return render(request, "clients/_quick_contact.html", {"client": client, "form": form})
    return _contact_page(request, client, form)


@login_required
def contact_create(request, pk):
    client = _client(request, pk, EDIT)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.log_contact(request.user, client, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _contact_saved_response(request, client, contact, "record")
    return _contact_page(request, client, form)


# --- Referral and enrollment episodes --------------------------------------------------------------


@login_required
def referral_create(request):
    programs = programs_for(request.user, EDIT).order_by("name")
    if not programs.exists():
        raise Http404("No program to refer to.")
    form = ReferralForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            new_client = services.refer(
                request.user,
                form.cleaned_data["program"],
                referral_date=form.cleaned_data["referral_date"],
                specialist=form.cleaned_data["specialist"],
                **form.client_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            record(request, Action.CREATE, new_client)
            messages.success(request, "Referral saved. Enroll the client once they start.")
            return redirect("clients:client_detail", pk=new_client.pk)
    intro = "Creates the client with a pending enrollment; enroll them from their record once services start."
    context = {"form": form, "title": "New referral", "submit": "Save referral", "intro": intro}
    return render(request, "clients/form.html", context)


@login_required
def enroll(request, pk, enrollment_pk):
    client = _client(request, pk, EDIT)
    episode = get_object_or_404(Enrollment, client=client, pk=enrollment_pk, closure_date__isnull=True)
    initial = {"specialist": episode.specialist_id or request.user.pk}
    initial.update(enrollment_date=episode.enrollment_date, employed_at_enrollment=episode.employed_at_enrollment)
    form = EnrollForm(request.POST or None, program=client.program, initial=initial)
    return _form_page(
        request,
        form,
        client=client,
        title="Enrollment",
        save=lambda f: services.enroll(request.user, episode, **f.cleaned_data),
        action=Action.UPDATE,
        success="Enrollment saved.",
    )


@login_required
def close_enrollment(request, pk, enrollment_pk):
    client = _client(request, pk, EDIT)
    episode = get_object_or_404(Enrollment, client=client, pk=enrollment_pk, closure_date__isnull=True)
    form = ClosureForm(request.POST or None, enrollment=episode)
    return _form_page(
        request,
        form,
        client=client,
        title="Close the enrollment",
        save=lambda f: services.close_enrollment(request.user, episode, **f.cleaned_data),
        action=Action.UPDATE,
        success="Enrollment closed.",
        submit="Close enrollment",
        danger=True,
    )


@login_required
def reenroll(request, pk):
    client = _client(request, pk, EDIT)
    form = ReenrollForm(request.POST or None, program=client.program, initial={"specialist": request.user.pk})
    return _form_page(
        request,
        form,
        client=client,
        title="Re-enroll",
        intro="Starts a new episode of services. The earlier episodes stay in the history.",
        save=lambda f: services.reenroll(request.user, client, **f.cleaned_data),
        action=Action.CREATE,
        success="New enrollment episode started.",
    )


# --- Career profile and work history ---------------------------------------------------------------


@login_required
def career_profile_edit(request, pk):
    client = _client(request, pk, EDIT)
    profile = CareerProfile.objects.filter(client=client).first() or CareerProfile(client=client)
    action = Action.UPDATE if profile.pk else Action.CREATE
    form = CareerProfileForm(request.POST or None, instance=profile)
    return _form_page(
        request,
        form,
        client=client,
        title="Career profile",
        intro="Update it after every job start and job end.",
        save=lambda f: f.save(),
        action=action,
        success="Career profile saved.",
    )


def _profile_for(client):
    return CareerProfile.objects.get_or_create(client=client)[0]


@login_required
def work_history_create(request, pk):
    client = _client(request, pk, EDIT)
    form = WorkHistoryEntryForm(request.POST or None)

    def save(f):
        f.instance.profile = _profile_for(client)
        return f.save()

    return _form_page(
        request, form, client=client, title="Add a past job", save=save, action=Action.CREATE, success="Job added."
    )


@login_required
def work_history_edit(request, pk, entry_pk):
    client = _client(request, pk, EDIT)
    entry = _in_client(WorkHistoryEntry.objects.filter(profile__client=client), request, pk=entry_pk)
    form = WorkHistoryEntryForm(request.POST or None, instance=entry)
    return _form_page(
        request, form, client=client, title="Past job", save=lambda f: f.save(), action=Action.UPDATE, success="Saved.",
        extra={"delete_url": reverse("clients:work_history_delete", args=[client.pk, entry.pk])},
    )  # fmt: skip


@login_required
def work_history_delete(request, pk, entry_pk):
    client = _client(request, pk, EDIT)
    entry = _in_client(WorkHistoryEntry.objects.filter(profile__client=client), request, pk=entry_pk)
    if request.method == "POST":
        record(request, Action.DELETE, entry)
        entry.delete()
        messages.success(request, "Past job removed.")
        return redirect("clients:client_detail", pk=client.pk)
    record(request, Action.VIEW, entry)
    return render(request, "clients/confirm_delete.html", {"client": client, "object": entry})


# --- Employment plan and steps ---------------------------------------------------------------------


@login_required
def plan_create(request, pk):
    client = _client(request, pk, EDIT)
    form = EmploymentPlanForm(request.POST or None)
    has_plan = EmploymentPlan.objects.filter(client=client, is_current=True).exists()
    return _form_page(
        request,
        form,
        client=client,
        title="New employment plan",
        intro="The current plan will be kept in the history and no longer be current." if has_plan else "",
        save=lambda f: services.start_plan(request.user, client, **_data(f)),
        action=Action.CREATE,
        success="Employment plan saved. Add its steps.",
    )


@login_required
def plan_edit(request, pk, plan_pk):
    client = _client(request, pk, EDIT)
    plan = _in_client(EmploymentPlan.objects.filter(client=client), request, pk=plan_pk)
    form = EmploymentPlanForm(request.POST or None, instance=plan)
    return _form_page(
        request, form, client=client, title="Employment plan", save=lambda f: f.save(), action=Action.UPDATE,
        success="Employment plan saved.",
    )  # fmt: skip


@login_required
def step_create(request, pk, plan_pk):
    client = _client(request, pk, EDIT)
    plan = _in_client(EmploymentPlan.objects.filter(client=client), request, pk=plan_pk)
    form = PlanStepForm(request.POST or None)
    return _form_page(
        request,
        form,
        client=client,
        title="Add a plan step",
        save=lambda f: services.add_step(request.user, plan, **_data(f)),
        action=Action.CREATE,
        success="Step added.",
    )


@login_required
def step_edit(request, pk, step_pk):
    client = _client(request, pk, EDIT)
    step = _in_client(PlanStep.objects.filter(plan__client=client), request, pk=step_pk)
    form = PlanStepForm(request.POST or None, instance=step)
    return _form_page(
        request, form, client=client, title="Plan step", save=lambda f: f.save(), action=Action.UPDATE,
        success="Step saved.",
    )  # fmt: skip


@login_required
@require_POST
def step_toggle(request, pk, step_pk):
    client = _client(request, pk, EDIT)
    step = _in_client(PlanStep.objects.filter(plan__client=client), request, pk=step_pk)
    services.complete_step(request.user, step)
    record(request, Action.UPDATE, step)
    if request.htmx:
        response = render(request, "clients/_step.html", {"client": client, "step": step})
        response["HX-Trigger"] = json.dumps({"stepChanged": {"client": client.pk}})
        return response
    messages.success(request, "Step marked done." if step.completed_on else "Step marked not done.")
    return redirect("clients:client_detail", pk=client.pk)


# --- Benefits counseling ---------------------------------------------------------------------------


@login_required
def benefits_create(request, pk):
    client = _client(request, pk, EDIT)
    form = BenefitsSessionForm(request.POST or None)

    def save(f):
        f.instance.client = client
        return f.save()

    return _form_page(
        request, form, client=client, title="Benefits counseling session", save=save, action=Action.CREATE,
        success="Benefits session saved.",
    )  # fmt: skip


@login_required
def benefits_edit(request, pk, session_pk):
    client = _client(request, pk, EDIT)
    session = _in_client(BenefitsCounselingSession.objects.filter(client=client), request, pk=session_pk)
    form = BenefitsSessionForm(request.POST or None, instance=session)
    return _form_page(
        request, form, client=client, title="Benefits counseling session", save=lambda f: f.save(),
        action=Action.UPDATE, success="Benefits session saved.",
    )  # fmt: skip
