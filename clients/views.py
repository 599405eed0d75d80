"""Forms of the client record: contacts, referral and episodes, career profile, plan, benefits.

Views stay thin: every lookup goes through the access layer (another program's record is a 404),
every write goes through clients.services (which audits it), rule violations come back as
RuleViolation and land on the form with the input kept, and every page is audited. My caseload and
the client record itself are in caseload.views (they combine clients with jobs).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation, add_to_form
from core.http import safe_next
from core.idempotency import idempotent, refused
from core.locking import EditConflict, version_of
from programs.access import Capability, get_scoped_or_404, programs_for

from . import corrections, selectors, services
from .forms import (
    BenefitsSessionForm,
    CareerProfileForm,
    ClosureForm,
    ContactEditForm,
    ContactForm,
    DeleteForm,
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
    Contact,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)

VIEW, EDIT = Capability.VIEW_CLIENTS, Capability.EDIT_CLIENTS


def client_or_404(request, pk, capability=VIEW):
    return get_scoped_or_404(Client.objects.select_related("program"), request.user, capability, pk=pk)


def _in_client(queryset, request, **lookup):
    """A record of the client (`queryset` is already limited to it), through the access layer."""
    return get_scoped_or_404(queryset, request.user, EDIT, **lookup)


def _form_page(request, form, *, client, title, save, success, submit="Save", intro="", danger=False, extra=None):
    """Validate and save through `save(form)` (a service, which audits the write) and redirect; else
    re-render with the input kept and each refusal by its field (and another editor's change)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except RuleViolation as exc:
            if isinstance(exc, EditConflict) and exc.current is not None and hasattr(form, "show_conflict"):
                form.show_conflict(exc.current)  # their values beside the kept input
            add_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect(safe_next(request, reverse("clients:client_detail", args=[client.pk])))
    if request.method == "GET":
        shown = getattr(form, "instance", None)
        record(request, Action.VIEW, shown if getattr(shown, "pk", None) else client)
    context = {"form": form, "client": client, "title": title, "submit": submit, "intro": intro, "danger": danger}
    return render(request, "clients/form.html", {**context, **(extra or {})})


def _service_page(request, client, form, service, target, *, versioned=False, **page):
    """A form page that saves with `service(target, user=..., **values)`; an edit (`versioned`) also
    hands over the version its VersionedModelForm started from, for the optimistic lock."""

    def save(form):
        values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        if versioned:
            values["version"] = form.submitted_version
        return service(target, user=request.user, **values)

    return _form_page(request, form, client=client, save=save, **page)


def delete_page(request, client, obj, service, *, what, back_url, warning=""):
    """GET: what will be deleted, and the reason asked. POST: `service(obj, user=..., reason=...)`
    (which audits the deletion with the deleted values), then back to the client's record."""
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(obj, user=request.user, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{what.capitalize()} deleted.")
            return redirect(safe_next(request, reverse("clients:client_detail", args=[client.pk])))
    if request.method == "GET":
        record(request, Action.VIEW, obj)
    context = {"client": client, "object": obj, "form": form, "what": what, "back_url": back_url, "warning": warning}
    return render(request, "clients/confirm_delete.html", context)


# --- Contacts --------------------------------------------------------------------------------------


def contact_page(request, client, form):
    """The full contact form (also where a quick log without JavaScript shows its errors)."""
    if request.method == "GET":
        record(request, Action.VIEW, client)
    context = {"client": client, "form": form, "title": "Log a contact", "submit": "Save contact"}
    context["outbox"] = f"Contact with {client.display_name}"  # kept on the phone when offline (offline.js)
    return render(request, "clients/form.html", context)


@login_required
@idempotent
def contact_create(request, pk):
    client = client_or_404(request, pk, EDIT)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_contact(client, user=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Contact saved.")
            return redirect(safe_next(request, reverse("clients:client_detail", args=[client.pk])))
    return refused(contact_page(request, client, form), form)


def _contact(request, client, contact_pk):
    return _in_client(Contact.objects.filter(client=client), request, pk=contact_pk)


@login_required
def contact_edit(request, pk, contact_pk):
    client = client_or_404(request, pk, EDIT)
    contact = _contact(request, client, contact_pk)
    form = ContactEditForm(request.POST or None, instance=contact)
    delete_url = reverse("clients:contact_delete", args=[client.pk, contact.pk])
    page = {"title": "Edit contact", "success": "Contact saved.", "extra": {"delete_url": delete_url}}
    return _service_page(request, client, form, services.update_contact, contact, versioned=True, **page)


@login_required
def contact_delete(request, pk, contact_pk):
    client = client_or_404(request, pk, EDIT)
    contact = _contact(request, client, contact_pk)
    back_url = reverse("clients:contact_edit", args=[client.pk, contact.pk])
    return delete_page(request, client, contact, corrections.delete_contact, what="contact", back_url=back_url)


# --- Referral and enrollment episodes --------------------------------------------------------------


@login_required
@idempotent
def referral_create(request):
    programs = programs_for(request.user, EDIT).order_by("name")
    if not programs.exists():
        raise Http404("No program to refer to.")
    form = ReferralForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            new_client = services.refer(
                form.cleaned_data["program"],
                user=request.user,
                referral_date=form.cleaned_data["referral_date"],
                specialist=form.cleaned_data["specialist"],
                **form.client_fields(),
            )
        except RuleViolation as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Referral saved. Enroll the client once they start.")
            return redirect("clients:client_detail", pk=new_client.pk)
    intro = "Creates the client with a pending enrollment; enroll them from their record once services start."
    context = {"form": form, "title": "New referral", "submit": "Save referral", "intro": intro}
    return render(request, "clients/form.html", context)


def _open_episode(request, client, enrollment_pk):
    """An open episode; a POST on one closed meanwhile reaches the service, which says who closed it."""
    episodes = Enrollment.objects.filter(client=client)
    if request.method != "POST":
        episodes = episodes.filter(closure_date__isnull=True)
    return get_object_or_404(episodes, pk=enrollment_pk)


@login_required
@idempotent  # a double tap returns the first result, not a conflict
def enroll(request, pk, enrollment_pk):
    client = client_or_404(request, pk, EDIT)
    episode = _open_episode(request, client, enrollment_pk)
    initial = {"specialist": episode.specialist_id or request.user.pk}
    initial.update(enrollment_date=episode.enrollment_date, employed_at_enrollment=episode.employed_at_enrollment)
    initial["version"] = version_of(episode)
    form = EnrollForm(request.POST or None, program=client.program, initial=initial)
    page = {"title": "Enrollment", "success": "Enrollment saved."}
    return _service_page(request, client, form, services.enroll, episode, versioned=True, **page)


@login_required
@idempotent
def close_enrollment(request, pk, enrollment_pk):
    client = client_or_404(request, pk, EDIT)
    episode = _open_episode(request, client, enrollment_pk)
    form = ClosureForm(request.POST or None, enrollment=episode)
    page = {"title": "Close the enrollment", "success": "Enrollment closed.", "submit": "Close enrollment"}
    return _service_page(request, client, form, services.close_enrollment, episode, danger=True, versioned=True, **page)


@login_required
@idempotent
def reenroll(request, pk):
    client = client_or_404(request, pk, EDIT)
    form = ReenrollForm(request.POST or None, program=client.program, initial={"specialist": request.user.pk})
    intro = "Starts a new episode of services. The earlier episodes stay in the history."
    page = {"title": "Re-enroll", "intro": intro, "success": "New enrollment episode started."}
    return _service_page(request, client, form, services.reenroll, client, **page)


# --- Career profile and work history ---------------------------------------------------------------


@login_required
def career_profile_edit(request, pk):
    client = client_or_404(request, pk, EDIT)
    profile = CareerProfile.objects.filter(client=client).first() or CareerProfile(client=client)
    form = CareerProfileForm(request.POST or None, instance=profile)
    intro = "Update it after every job start and job end."
    page = {"title": "Career profile", "intro": intro, "success": "Career profile saved."}
    return _service_page(request, client, form, services.save_career_profile, client, versioned=True, **page)


def _past_job(request, client, entry_pk):
    return _in_client(WorkHistoryEntry.objects.filter(profile__client=client), request, pk=entry_pk)


@login_required
@idempotent
def work_history_create(request, pk):
    client = client_or_404(request, pk, EDIT)
    form = WorkHistoryEntryForm(request.POST or None)
    page = {"title": "Add a past job", "success": "Job added."}
    return _service_page(request, client, form, services.add_past_job, client, **page)


@login_required
def work_history_edit(request, pk, entry_pk):
    client = client_or_404(request, pk, EDIT)
    entry = _past_job(request, client, entry_pk)
    form = WorkHistoryEntryForm(request.POST or None, instance=entry)
    delete_url = reverse("clients:work_history_delete", args=[client.pk, entry.pk])
    page = {"title": "Past job", "success": "Saved.", "extra": {"delete_url": delete_url}}
    return _service_page(request, client, form, services.update_past_job, entry, versioned=True, **page)


@login_required
def work_history_delete(request, pk, entry_pk):
    client = client_or_404(request, pk, EDIT)
    entry = _past_job(request, client, entry_pk)
    edit_url = reverse("clients:work_history_edit", args=[client.pk, entry.pk])
    return delete_page(request, client, entry, corrections.delete_past_job, what="past job", back_url=edit_url)


# --- Employment plan and steps ---------------------------------------------------------------------


@login_required
@idempotent
def plan_create(request, pk):
    client = client_or_404(request, pk, EDIT)
    form = EmploymentPlanForm(request.POST or None)
    has_plan = EmploymentPlan.objects.filter(client=client, is_current=True).exists()
    intro = "The current plan will be kept in the history and no longer be current." if has_plan else ""
    page = {"title": "New employment plan", "intro": intro, "success": "Employment plan saved. Add its steps."}
    return _service_page(request, client, form, services.start_plan, client, **page)


def _plan(request, client, plan_pk):
    return _in_client(EmploymentPlan.objects.filter(client=client), request, pk=plan_pk)


@login_required
def plan_edit(request, pk, plan_pk):
    client = client_or_404(request, pk, EDIT)
    plan = _plan(request, client, plan_pk)
    form = EmploymentPlanForm(request.POST or None, instance=plan)
    page = {"title": "Employment plan", "success": "Employment plan saved."}
    return _service_page(request, client, form, services.update_plan, plan, versioned=True, **page)


@login_required
@idempotent
def step_create(request, pk, plan_pk):
    client = client_or_404(request, pk, EDIT)
    plan = _plan(request, client, plan_pk)
    form = PlanStepForm(request.POST or None)
    return _service_page(request, client, form, services.add_step, plan, title="Add a plan step", success="Step added.")


def _step(request, client, step_pk):
    return _in_client(PlanStep.objects.filter(plan__client=client), request, pk=step_pk)


@login_required
def step_edit(request, pk, step_pk):
    client = client_or_404(request, pk, EDIT)
    step = _step(request, client, step_pk)
    form = PlanStepForm(request.POST or None, instance=step)
    page = {"title": "Plan step", "success": "Step saved."}
    page["extra"] = {"delete_url": reverse("clients:step_delete", args=[client.pk, step.pk])}
    return _service_page(request, client, form, services.update_step, step, versioned=True, **page)


@login_required
def step_delete(request, pk, step_pk):
    client = client_or_404(request, pk, EDIT)
    step = _step(request, client, step_pk)
    back_url = reverse("clients:step_edit", args=[client.pk, step.pk])
    return delete_page(request, client, step, corrections.delete_step, what="plan step", back_url=back_url)


@login_required
@require_POST
def step_toggle(request, pk, step_pk):
    client = client_or_404(request, pk, EDIT)
    # The button names the state it asks for, so a repeated tap is a no-op (not a toggle back).
    done = request.POST.get("done", "1") != "0"
    step = services.complete_step(_step(request, client, step_pk), user=request.user, done=done)
    if request.htmx:
        response = render(request, "clients/_step.html", {"client": client, "step": step})
        # The record's facts and timeline listen for it and refresh themselves.
        return trigger_client_event(response, "stepChanged", {"client": client.pk})
    messages.success(request, "Step marked done." if step.completed_on else "Step marked not done.")
    return redirect("clients:client_detail", pk=client.pk)


# --- Benefits counseling ---------------------------------------------------------------------------


def _benefits_page(request, client, form, service, target, versioned=False):
    """The session form, with the SSA amounts of the session's year (this year for a new session)."""
    session = form.instance
    ssa = selectors.ssa_amounts(session.session_date.year if session.pk else None)
    extra = {"ssa": ssa}
    if session.pk:
        extra["delete_url"] = reverse("clients:benefits_delete", args=[client.pk, session.pk])
    page = {"title": "Benefits counseling session", "success": "Benefits session saved.", "extra": extra}
    return _service_page(request, client, form, service, target, versioned=versioned, **page)


@login_required
@idempotent
def benefits_create(request, pk):
    client = client_or_404(request, pk, EDIT)
    form = BenefitsSessionForm(request.POST or None, counselor_names=selectors.counselor_names(client))
    return _benefits_page(request, client, form, services.add_benefits_session, client)


@login_required
def benefits_edit(request, pk, session_pk):
    client = client_or_404(request, pk, EDIT)
    session = _benefits_session(request, client, session_pk)
    names = selectors.counselor_names(client)
    form = BenefitsSessionForm(request.POST or None, instance=session, counselor_names=names)
    return _benefits_page(request, client, form, services.update_benefits_session, session, versioned=True)


def _benefits_session(request, client, session_pk):
    return _in_client(BenefitsCounselingSession.objects.filter(client=client), request, pk=session_pk)


@login_required
def benefits_delete(request, pk, session_pk):
    client = client_or_404(request, pk, EDIT)
    session = _benefits_session(request, client, session_pk)
    back_url = reverse("clients:benefits_edit", args=[client.pk, session.pk])
    service = corrections.delete_benefits_session
    return delete_page(request, client, session, service, what="benefits session", back_url=back_url)
