"""The "who looked at or changed this record" page, the accounting of disclosures, and their CSVs.

The caller (a higher layer) fetches the record and the programs through the access layer and passes
them here; this module only reads the trail. Downloading a CSV is itself an audited export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.exports import csv_response

from .models import Action, AuditEvent
from .selectors import CLIENT_TYPE, disclosures, events_about
from .services import record

HEADER = ["When (UTC)", "User", "Action", "Page", "Address", "Details"]
PAGE_SIZE = 100


def trail_response(
    request: HttpRequest, obj, *, title: str, back_url: str, filename: str, disclosures_url: str = ""
) -> HttpResponse:
    events = events_about(obj)
    if request.GET.get("format") == "csv":
        record(request, Action.EXPORT, obj, detail={"export": "audit_trail"})
        rows = (
            [f"{e.at:%Y-%m-%d %H:%M:%S}", e.username, e.get_action_display(), e.path, e.ip_address or "", e.detail]
            for e in events.iterator()
        )
        return csv_response(filename, HEADER, rows)
    record(request, Action.VIEW, obj, detail={"page": "audit_trail"})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {"title": title, "back_url": back_url, "page": page, "disclosures_url": disclosures_url},
    )


DISCLOSURE_HEADER = ["When (UTC)", "User", "What", "Page", "Program id", "Client ids", "Address"]


def _what(event: AuditEvent) -> str:
    detail = event.detail or {}
    parts = [str(detail.get(key)) for key in ("export", "report", "measure", "dataset", "format") if detail.get(key)]
    return " · ".join(parts) or event.object_type


def _client_ids(event: AuditEvent) -> list[int]:
    if event.object_type == CLIENT_TYPE and event.object_id and not (event.detail or {}).get("clients"):
        return [int(event.object_id)]
    return list((event.detail or {}).get("clients", []))


def disclosures_response(
    request: HttpRequest, program_ids, *, form, client=None, client_url: str = "", filename: str
) -> HttpResponse:
    """Exports, prints and PDFs of `program_ids` (already scoped and filtered by the caller's valid
    `form`), as a page or (`?format=csv`) a CSV."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = disclosures(
        program_ids, client_id=client.pk if client else None, start=data.get("start"), end=data.get("end")
    )
    if request.GET.get("format") == "csv":
        record(request, Action.EXPORT, client, detail={"export": "disclosures"})
        rows = (
            [
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.username,
                _what(e),
                e.path,
                e.program_id or "",
                " ".join(str(c) for c in _client_ids(e)),
                e.ip_address or "",
            ]
            for e in events.iterator()
        )
        return csv_response(filename, DISCLOSURE_HEADER, rows)
    record(request, Action.VIEW, client, detail={"page": "disclosures"})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"event": e, "what": _what(e), "clients": len(_client_ids(e))} for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit/disclosures.html",
        {"form": form, "page": page, "rows": rows, "client": client, "client_url": client_url, "query": query},
    )
