"""Find a client (or an employer) from the navigation, across every program the user may see.

IPS teams cover for each other, so the search is not limited to the user's own caseload. The typed
name is health-adjacent information: it is only ever POSTed (never in a URL, a proxy log or the
browser's history; a GET is 405), and it is not written to the audit trail either, only the ids of
the records the search showed (one audit entry per search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import record
from clients.models import Client
from jobs.models import Employer
from programs.access import Actor, Capability, programs_for, scope

MAX_QUERY = 80
MAX_RESULTS = 20
MIN_LENGTH = 2  # one letter would list half the program
_NOT_DIGITS = re.compile(r"\D")


@dataclass
class SearchResults:
    query: str
    clients: list[Client] = field(default_factory=list)
    employers: list[Employer] = field(default_factory=list)

    @property
    def too_short(self) -> bool:
        return len(self.query) < MIN_LENGTH


def _client_filter(query: str) -> Q:
    words = query.split()
    condition = Q(record_number__iexact=query) | Q(record_number__istartswith=query)
    # Every word must match one of the name fields ("ana lop" finds Ana López's "Ana" + "Lopez").
    names = Q()
    for word in words:
        names &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(preferred_name__icontains=word)
    condition |= names
    digits = _NOT_DIGITS.sub("", query)
    if len(digits) >= 4:  # phones are stored as typed: compare digits only
        condition |= Q(phone_digits__contains=digits)
    return condition


def _with_phone_digits(queryset: QuerySet[Client]) -> QuerySet[Client]:
    # The common separators stripped in the database, so "(555) 010-2233" matches "5550102233".
    expression: F | Replace = F("phone")
    for char in ("(", ")", "-", " ", ".", "+", "/"):
        expression = Replace(expression, Value(char), Value(""))
    return queryset.annotate(phone_digits=expression)


def search(user: Actor, query: str) -> SearchResults:
    """Clients (by name, record number or phone) and employers (by name) the user may see."""
    # Control characters (NUL, which PostgreSQL refuses) dropped; whitespace collapsed.
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in query).split())[:MAX_QUERY]
    results = SearchResults(query=query)
    if results.too_short:
        return results
    clients = _with_phone_digits(scope(Client.objects.all(), user, Capability.VIEW_CLIENTS))
    results.clients = list(
        clients.filter(_client_filter(query))
        .select_related("program")
        .order_by("last_name", "first_name", "pk")[:MAX_RESULTS]
    )
    employers = scope(Employer.objects.all(), user, Capability.VIEW_CLIENTS)
    results.employers = list(
        employers.filter(name__icontains=query).select_related("program").order_by("name", "pk")[:MAX_RESULTS]
    )
    return results


@require_POST
@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    """POST only: the htmx box posts as the user types; without JavaScript the same form posts to
    this page and gets the full results page."""
    if not programs_for(request.user, Capability.VIEW_CLIENTS).exists():
        raise Http404("No client search.")
    results = search(request.user, request.POST.get("q", ""))
    if not results.too_short:
        record(
            request,
            Action.VIEW,
            detail={
                "page": "search",
                "clients": [c.pk for c in results.clients],
                "employers": [e.pk for e in results.employers],
            },
        )
    if request.headers.get("HX-Request"):
        if not results.query:  # the box was cleared: the drop-down closes
            return HttpResponse("")
        template = "clients/_search_results.html"
    else:
        template = "clients/_search_page.html"
    return render(request, template, {"results": results, "limit": MAX_RESULTS})
