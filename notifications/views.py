"""The user's own notifications: the list (and marking read), the count in the navigation, and the
preferences page. Everything here is the signed-in user's own: no other user's row is reachable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Kind, Notification


@login_required
@require_GET
def notification_list(request):
    notes = Notification.objects.filter(user=request.user, shown=True)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread": services.unread_count(request.user)})


@login_required
@require_GET
def badge(request):
    """The unread count for the navigation, fetched by htmx after the page loads (no query on every page)."""
    return render(request, "notifications/_badge.html", {"unread": services.unread_count(request.user)})


@login_required
@require_POST
def mark_read(request):
    raw = request.POST.get("notification", "")
    notification_id = int(raw) if raw.isdigit() else None
    services.mark_read(user=request.user, notification_id=notification_id)
    if request.POST.get("open") and notification_id is not None:
        note = Notification.objects.filter(user=request.user, pk=notification_id).first()
        if note is not None and note.link.startswith("/") and not note.link.startswith("//"):
            return redirect(note.link)
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notifications:list")


@login_required
def preferences(request):
    kinds = services.kinds_for(request.user)
    if request.method == "POST":
        choices = {
            kind: (request.POST.get(f"{kind}-in_app") == "on", request.POST.get(f"{kind}-email") == "on")
            for kind in kinds
        }
        services.save_preferences(user=request.user, choices=choices)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications:preferences")
    rows = [(kind, Kind(kind).label, *services.channels(request.user, kind)) for kind in kinds]
    return render(request, "notifications/preferences.html", {"rows": rows, "has_email": bool(request.user.email)})
