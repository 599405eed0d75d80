"""Jobs and job development pages. Thin: access through programs/access.py, rules and writes
(audited there) in jobs/services.py, reads in jobs/selectors.py, every client-level page audited."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from audit.models import Action
from audit.services import clients_of, record, record_shown
from benchmarks.models import BenchmarkSettings
from clients.forms import DeleteForm
from clients.models import Client
from clients.views import delete_page
from core.errors import RuleViolation, add_to_form
from core.http import safe_next
from core.idempotency import idempotent, refused
from programs.access import Capability, get_scoped_or_404, programs_for, scope

from . import selectors, services
from .forms import EmployerContactForm, JobEditForm, JobEndForm, JobStartForm, SupportForm
from .models import EmployerContact, FollowAlongSupport, JobStart

EDIT = Capability.EDIT_CLIENTS


def client_url(client_id):
    return reverse("clients:client_detail", args=[client_id])


def sentence(text):
    """End a message with one full stop ('… at Corner Bakery, Inc.' gets no second one)."""
    return text if text.endswith(".") else f"{text}."


def career_profile_prompt(client_id, what="what was learned"):
    url = reverse("clients:career_profile_edit", args=[client_id])
    return format_html('<a class="alert-link" href="{}">Update the career profile</a> with {}.', url, what)


def _scoped_job(request, pk):
    return get_scoped_or_404(JobStart.objects.select_related("client__program", "employer"), request.user, EDIT, pk=pk)


def _saved(form, service, *args, **kwargs):
    """Run a service for a valid form; False with the refusal on the form (a rule, someone saved first)."""
    try:
        service(*args, **kwargs)
    except RuleViolation as exc:
        add_to_form(form, exc)
        return False
    return True


@login_required
@idempotent
def job_start_create(request, client_pk):
    client = get_scoped_or_404(Client.objects.select_related("program"), request.user, EDIT, pk=client_pk)
    enrollment = services.open_enrollment(client)
    form = None
    if enrollment is not None:
        form = JobStartForm(request.POST or None, client=client, enrollment=enrollment)
        if request.method == "POST" and form.is_valid():
            try:
                job, created = services.record_job_start(
                    client,
                    user=request.user,
                    employer=form.cleaned_data["employer"],
                    employer_name=form.cleaned_data["employer_name"],
                    **form.job_fields(),
                )
            except RuleViolation as error:
                add_to_form(form, error)
            else:
                if created:
                    messages.info(request, sentence(f"New employer added: {job.employer.name}"))
                messages.success(request, sentence(f"Job recorded: {job.job_title} at {job.employer.name}"))
                if not job.benefits_discussed and not services.benefits_session_before(client, job.start_date):
                    messages.warning(
                        request,
                        "No benefits-counseling session is recorded before this job start: offer one soon."
                        " Recording the session (any date) clears the caseload alert.",
                    )
                if enrollment.enrollment_date and job.start_date < enrollment.enrollment_date:
                    messages.warning(
                        request,
                        "This job started before the enrollment date: check “employed at enrollment”.",
                    )
                messages.info(request, career_profile_prompt(client.pk, "the new job"))
                return redirect(client_url(client.pk))
    if request.method != "POST":
        record(request, Action.VIEW, client)
    has_benefits_session = services.benefits_session_before(client, timezone.localdate())
    return render(
        request,
        "jobs/job_start_form.html",
        {
            "client": client,
            "enrollment": enrollment,
            "form": form,
            "has_benefits_session": has_benefits_session,
            "client_url": client_url(client.pk),
        },
        status=200 if enrollment is not None else 409,
    )


def _job_page(request, job, template, form=None, **extra):
    context = {"job": job, "client": job.client, "client_url": client_url(job.client_id)}
    return render(request, template, {**context, "form": form, **extra})


def _versioned_job_form(request, pk, form_class, template, saved_message, save, prompt_profile=False):
    """Job edit and job end: one versioned form on the job, saved by `save(job, user, version, fields)`."""
    job = _scoped_job(request, pk)
    form = form_class(request.POST or None, instance=job)
    if request.method != "POST":
        record(request, Action.VIEW, job)
    elif form.is_valid() and _saved(
        form, save, job, user=request.user, version=form.submitted_version, **_fields(form)
    ):
        messages.success(request, sentence(f"{saved_message}: {job.job_title} at {job.employer.name}"))
        if prompt_profile:
            messages.info(request, career_profile_prompt(job.client_id))
        return redirect(client_url(job.client_id))
    return _job_page(request, job, template, form)


def _fields(form):
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


@login_required
def job_edit(request, pk):
    return _versioned_job_form(request, pk, JobEditForm, "jobs/job_form.html", "Job saved", services.update_job)


@login_required
def job_delete(request, pk):
    """A job recorded by mistake (e.g. on the wrong client): deleted with a reason, its supports with it."""
    job = _scoped_job(request, pk)
    supports = job.supports.count()
    warning = (
        f"Its {supports} follow-along support record{'s' if supports != 1 else ''} will be deleted too."
        if supports
        else ""
    )
    back_url = reverse("jobs:job_edit", args=[job.pk])
    return delete_page(request, job.client, job, services.delete_job, what="job", back_url=back_url, warning=warning)


@login_required
def job_end(request, pk):
    return _versioned_job_form(
        request, pk, JobEndForm, "jobs/job_end_form.html", "Job end recorded", services.end_job, prompt_profile=True
    )


@login_required
@idempotent
def support_create(request, pk):
    job = _scoped_job(request, pk)
    form = SupportForm(request.POST or None, job=job, user=request.user)
    if request.method != "POST":
        record(request, Action.VIEW, job)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.add_support, job, user=request.user, **form.support_fields())
    ):
        messages.success(request, "Follow-along support recorded.")
        return redirect(client_url(job.client_id))
    return _job_page(request, job, "jobs/support_form.html", form)


# Employers -----------------------------------------------------------------------------------


def _contact_form(request, data=None, client=None, contact=None):
    """The employer-contact form scoped to what the user may edit: one client's program if given;
    correcting a saved `contact`, its program (its clients stay choosable once their episode closed)."""
    employers = selectors.employers_for(request.user, EDIT).order_by("name")
    clients = scope(Client.objects.all(), request.user, EDIT)
    program = selectors.single_program(request.user)
    if client is not None or contact is not None:
        program = client.program if client is not None else contact.employer.program
        employers = employers.filter(program_id=program.pk)
        clients = clients.filter(program_id=program.pk)
    with_open_enrollment = Q(pk__in=clients.filter(enrollments__closure_date__isnull=True).values("pk"))
    if client is not None:
        with_open_enrollment |= Q(pk=client.pk)
    if contact is not None:
        with_open_enrollment |= Q(pk__in=clients.filter(employer_contacts=contact).values("pk"))
    clients = Client.objects.filter(with_open_enrollment).order_by("last_name", "first_name", "pk")
    if contact is not None:
        return EmployerContactForm(data, instance=contact, employers=employers, clients=clients, program=program)
    initial = {}
    employer_id = request.GET.get("employer")
    if employer_id and employer_id.isdigit():
        initial["employer"] = employer_id
    if client is not None:
        initial.update(clients=[client.pk], client_specific=True, purpose="client_specific")
    return EmployerContactForm(data, employers=employers, clients=clients, program=program, initial=initial)


def _save_contact(request, form, contact=None):
    """Log a new contact (or correct `contact`) from a valid form, in one transaction.

    Returns the contact, or None with the reason on the form (a rule, or someone saved first)."""
    data = form.cleaned_data
    values = {
        "contact_date": data["contact_date"],
        "clients": data["clients"],
        "client_specific": data["client_specific"] or None,
        **form.contact_fields(),
    }
    user = request.user
    try:
        with transaction.atomic():
            employer, created = data["employer"], False
            if employer is None:
                program = form.new_employer_program()
                employer, created = services.find_or_create_employer(program, data["employer_name"], user=user)
            if contact is None:
                contact = services.log_employer_contact(employer, user=user, **values)
            else:
                version = form.submitted_version
                contact = services.update_employer_contact(
                    contact, user=user, employer=employer, version=version, **values
                )
    except RuleViolation as error:
        add_to_form(form, error)
        return None
    if created:
        messages.info(request, sentence(f"New employer added: {employer.name}"))
    return contact


def _contact_saved_message(contact, what="logged"):
    day = contact.contact_date
    return f"Employer contact {what}: {contact.employer.name}, {day:%b} {day.day}."


@login_required
@idempotent
def employer_contact_create(request):
    client = None
    client_id = request.GET.get("client") or ""
    if client_id:
        if not client_id.isdigit():
            raise Http404("No such client.")
        client = get_scoped_or_404(Client.objects.select_related("program"), request.user, EDIT, pk=client_id)
    if not programs_for(request.user, EDIT).exists():
        raise Http404("No program.")
    form = _contact_form(request, request.POST or None, client)
    if client is not None and request.method != "POST":
        record(request, Action.VIEW, client)
    if request.method == "POST" and form.is_valid():
        contact = _save_contact(request, form)
        if contact is not None:
            messages.success(request, _contact_saved_message(contact))
            if client is not None:
                return redirect(client_url(client.pk))
            return redirect(safe_next(request) or reverse("jobs:job_development"))
    context = {
        "form": form,
        "client": client,
        "next": safe_next(request),
        "client_url": client and client_url(client.pk),
    }
    return refused(render(request, "jobs/employer_contact_form.html", context), form)


# Corrections: edit or delete a logged employer contact or follow-along support -----------------


def _scoped_contact(request, pk):
    contacts = EmployerContact.objects.select_related("employer__program", "specialist")
    return get_scoped_or_404(contacts, request.user, EDIT, pk=pk)


def _contact_done_url(request, contact):
    """Where to go after a correction: `next`, else the one client's record, else the employer."""
    client_ids = list(contact.clients.values_list("pk", flat=True)[:2])
    if len(client_ids) == 1:
        return safe_next(request) or client_url(client_ids[0])
    return safe_next(request) or reverse("jobs:employer_detail", args=[contact.employer_id])


@login_required
def employer_contact_edit(request, pk):
    contact = _scoped_contact(request, pk)
    form = _contact_form(request, request.POST or None, contact=contact)
    if request.method != "POST":
        record(request, Action.VIEW, contact)
    elif form.is_valid() and _save_contact(request, form, contact) is not None:
        messages.success(request, _contact_saved_message(contact, "saved"))
        return redirect(_contact_done_url(request, contact))
    return render(
        request,
        "jobs/employer_contact_form.html",
        {
            "form": form,
            "contact": contact,
            "next": safe_next(request),
            "back_url": _contact_done_url(request, contact),
        },
    )


def _confirm_delete(request, obj, done_url, context):
    """GET: the confirmation page asking why. POST: delete with the reason (audited with the deleted
    values, clients.corrections), or the page again with the refusal."""
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_record(obj, user=request.user, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, sentence(f"Deleted: {context['what']}"))
            return redirect(done_url)
    if request.method == "GET":
        record(request, Action.VIEW, obj)
    context = {**context, "form": form, "next": safe_next(request), "back_url": done_url}
    return render(request, "jobs/confirm_delete.html", context)


@login_required
def employer_contact_delete(request, pk):
    contact = _scoped_contact(request, pk)
    what = f"employer contact with {contact.employer.name} on {contact.contact_date:%b} {contact.contact_date.day}"
    context = {"what": what, "object": contact, "edit_url": reverse("jobs:employer_contact_edit", args=[pk])}
    return _confirm_delete(request, contact, _contact_done_url(request, contact), context)


def _scoped_support(request, pk):
    supports = FollowAlongSupport.objects.select_related("job__client__program", "job__employer", "staff")
    return get_scoped_or_404(supports, request.user, EDIT, pk=pk)


@login_required
def support_edit(request, pk):
    support = _scoped_support(request, pk)
    job = support.job
    form = SupportForm(request.POST or None, instance=support, job=job, user=request.user)
    if request.method != "POST":
        record(request, Action.VIEW, support)
    elif form.is_valid() and _saved(
        form,
        services.update_support,
        support,
        user=request.user,
        version=form.submitted_version,
        **form.support_fields(),
    ):
        messages.success(request, "Follow-along support saved.")
        return redirect(safe_next(request) or client_url(job.client_id))
    return _job_page(request, job, "jobs/support_form.html", form, support=support, next=safe_next(request))


@login_required
def support_delete(request, pk):
    support = _scoped_support(request, pk)
    job = support.job
    what = f"follow-along support of {support.support_date:%b} {support.support_date.day} ({job.job_title})"
    context = {"what": what, "object": support, "edit_url": reverse("jobs:support_edit", args=[pk])}
    return _confirm_delete(request, support, safe_next(request) or client_url(job.client_id), context)


@login_required
def job_development(request):
    if not programs_for(request.user, EDIT).exists():
        raise Http404("Job development is for program staff.")
    today = timezone.localdate()
    benchmarks = BenchmarkSettings.current()
    mine = scope(EmployerContact.objects.all(), request.user, Capability.VIEW_CLIENTS)
    weeks = selectors.weekly_employer_contacts(
        request.user, target=benchmarks.employer_contacts_per_week, as_of=today, contacts=mine
    )
    this_week = weeks[0]
    scale = max([benchmarks.employer_contacts_per_week, *(w.face_to_face for w in weeks)]) or 1
    form = _contact_form(request)
    # This week's contacts and last week's: on a Monday, Friday's contact is still here to correct.
    contact_weeks = selectors.contacts_by_week(request.user, weeks[:2], mine)
    listed_ids = [contact.pk for _, listed in contact_weeks for contact in listed]
    record_shown(
        request,
        "jobs.employercontact",
        listed_ids,
        clients=clients_of(EmployerContact, listed_ids),
        detail={"page": "job_development"},
    )
    return render(
        request,
        "jobs/job_development.html",
        {
            "weeks": weeks,
            "this_week": this_week,
            "target": benchmarks.employer_contacts_per_week,
            "scale": scale,
            "weeks_met": sum(1 for w in weeks[1:] if w.met),
            "contact_weeks": contact_weeks,
            "contacts": [contact for _, listed in contact_weeks for contact in listed],
            "form": form,
            "recent": selectors.recent_employers(request.user, form.fields["employer"].queryset),
            "today": today,
            "week_end": this_week.start + datetime.timedelta(days=6),
        },
    )
