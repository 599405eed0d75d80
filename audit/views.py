"""The "who looked at or changed this record" page and its CSV.

The caller (a higher layer) fetches the record through the access layer and passes it here; this
module only reads the trail. Downloading the CSV is itself an audited export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.exports import csv_response

from .models import Action
from .selectors import events_about
from .services import record

HEADER = ["When (UTC)", "User", "Action", "Page", "Address", "Details"]
PAGE_SIZE = 100


def trail_response(request: HttpRequest, obj, *, title: str, back_url: str, filename: str) -> HttpResponse:
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
    return render(request, "audit/trail.html", {"title": title, "back_url": back_url, "page": page})
