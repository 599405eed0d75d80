"""Pages built on the read models that combine clients and jobs: My caseload, the client record with
its timeline, and the quick contact log that refreshes a caseload row.

Views stay thin: reads come from caseload.selectors, writes go through clients.services, every lookup
goes through the access layer (another program's record is a 404) and every page is audited.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from audit.models import Action
from audit.services import record, record_shown
from clients import services
from clients.forms import ContactForm
from clients.models import Client
from clients.views import client_or_404, contact_page
from core.errors import RuleViolation, add_to_form
from core.http import safe_next
from core.idempotency import idempotent, refused, saved
from programs.access import Capability, programs_for, record_refusal, roles_of, scope

from . import selectors

VIEW, EDIT = Capability.VIEW_CLIENTS, Capability.EDIT_CLIENTS


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
    programs = list(programs_for(request.user, VIEW).order_by("name"))
    # The whole program runs to hundreds of clients: pages of settings.CASELOAD_PAGE_SIZE. A specialist's
    # own caseload (tens of clients) stays on one page.
    data = selectors.caseload(
        request.user,
        whole_program=scope_choice == "program",
        phase=phase,
        alert=alert,
        q=q,
        sort=sort,
        page=(get.get("page") or 1) if scope_choice == "program" else None,
        programs=programs,
    )
    record_shown(
        request,
        "clients.client",
        [row.pk for row in data.rows],
        clients=[(row.pk, row.program_id) for row in data.rows],
        detail={"page": "caseload", "scope": scope_choice},
    )
    context = {
        "data": data,
        "scope": scope_choice,
        "phase": phase,
        "alert": alert,
        "sort": sort,
        "q": q,
        "whole": scope_choice == "program",
        "programs": programs,
        "phase_options": [(c, label, data.phase_counts[c]) for c, label in selectors.Phase.CHOICES],
        "alert_options": [(c, label, data.alert_counts[c]) for c, label in selectors.AlertCode.CHOICES],
        "sorts": selectors.SORTS.items(),
        "filtered": bool(phase or alert or q),
        # The pagination links keep the scope, search, filters and sort (normalised, never the raw query).
        "page_query": urlencode(
            {
                k: v
                for k, v in [("scope", scope_choice), ("q", q), ("phase", phase), ("alert", alert), ("sort", sort)]
                if v
            }
        ),
        "page_range": list(data.page.paginator.get_elided_page_range(data.page.number, on_each_side=2, on_ends=1))
        if data.page is not None and data.page.has_other_pages()
        else [],
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
        record_refusal(Client.objects.filter(pk=pk), request.user, VIEW)  # audited if it exists
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
    client = client_or_404(request, pk)
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))  # past 64 bits the query would fail
    except ValueError:
        page = 1
    items, has_more = selectors.timeline(client, page=page)
    record(request, Action.VIEW, client, detail={"timeline_page": page})
    return render(
        request,
        "clients/_timeline_items.html",
        {"client": client, "timeline": items, "has_more": has_more, "next_page": page + 1, "paged": True},
    )


# --- Quick contact log -----------------------------------------------------------------------------


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


def _saved(request, client, where):
    if not request.htmx:
        messages.success(request, "Contact saved.")
        return redirect(safe_next(request, reverse("clients:client_detail", args=[client.pk])))
    if where == "caseload":
        response = render(request, "clients/_caseload_row.html", _row_context(request, client, saved=True))
    else:
        context = {"client": client, "form": ContactForm(auto_id="qc_%s"), "saved": True}
        response = render(request, "clients/_quick_contact.html", context)
    # The record's facts and timeline listen for it and refresh themselves.
    return saved(trigger_client_event(response, "contactLogged", {"client": client.pk}))


def _quick_replay(request, pk):
    """A repeated quick log (a retried send, a double tap) answers as the first one did."""
    return _saved(request, client_or_404(request, pk, EDIT), request.POST.get("from", "record"))


@login_required
@require_POST
@idempotent(replay=_quick_replay)
def quick_contact(request, pk):
    """The quick log: today, face to face, in the community, with the client unless changed."""
    client = client_or_404(request, pk, EDIT)
    where = request.POST.get("from", "record")
    # Whatever the quick log leaves out takes the defaults; "today" is decided when it is saved.
    data = request.POST.copy()
    for name, value in ContactForm().initial.items():
        data.setdefault(name, value.isoformat() if hasattr(value, "isoformat") else value)
    form = ContactForm(data, auto_id=f"qc{client.pk}_%s" if where == "caseload" else "qc_%s")
    if form.is_valid():
        try:
            services.log_contact(client, user=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            add_to_form(form, exc)
        else:
            return _saved(request, client, where)
    if request.htmx and where == "caseload":
        return refused(render(request, "clients/_caseload_row.html", _row_context(request, client, form=form)), form)
    if request.htmx:
        return refused(render(request, "clients/_quick_contact.html", {"client": client, "form": form}), form)
    return refused(contact_page(request, client, form), form)
