"""What the phone keeps so that a specialist can log a contact when the app opens without a connection
(issue #13.2, cold start): the clients of their caseload, each as an id and a display name, the names of
their programs' employers and the choices of the two contact forms. Nothing else about a client.

offline.js asks for it whenever My caseload loads (and now and then on other pages), keeps it in
IndexedDB beside the outbox and deletes it at log-out and when the session ends. It is never put in
the service worker's cache (no-store).
"""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.services import record_shown
from clients.models import Client, ContactMode, ContactPlace, ContactWith
from jobs.models import ContactPurpose, Employer
from programs.access import Capability, programs_for, scope
from programs.models import User

EDIT = Capability.EDIT_CLIENTS
MAX_EMPLOYERS = 500  # a datalist to type against, not a directory


def _choices(choices: list[tuple[str, str]]) -> list[list[str]]:
    return [[value, str(label)] for value, label in choices]


@never_cache
@login_required
@require_GET
def offline_caseload(request: HttpRequest) -> JsonResponse:
    user = cast(User, request.user)  # signed in (login_required)
    clients = (
        scope(Client.objects.all(), user, EDIT)
        .filter(enrollments__closure_date__isnull=True, enrollments__specialist=user)
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .only("pk", "program_id", "first_name", "preferred_name", "last_name")
    )
    rows = list(clients)
    programs = {c.program_id for c in rows} or set(programs_for(user, EDIT).values_list("pk", flat=True))
    employers = Employer.objects.filter(program_id__in=programs).order_by("name").values_list("name", flat=True)
    record_shown(
        request,
        "clients.client",
        [c.pk for c in rows],
        clients=[(c.pk, c.program_id) for c in rows],
        detail={"page": "offline caseload"},
    )
    contact_url = reverse("clients:contact_create", args=[0])
    data = {
        "user": user.pk,
        "clients": [{"id": c.pk, "name": c.display_name} for c in rows],
        "employers": list(employers[:MAX_EMPLOYERS]),
        "urls": {
            "contact": contact_url.replace("/0/", "/{id}/"),
            "employer_contact": reverse("jobs:employer_contact_create"),
        },
        "choices": {
            "with_whom": _choices(ContactWith.choices),
            "mode": _choices(ContactMode.choices),
            "place": _choices(ContactPlace.choices),
            "purpose": _choices(ContactPurpose.choices),
        },
        "defaults": {
            "with_whom": ContactWith.CLIENT,
            "mode": ContactMode.FACE_TO_FACE,
            "place": ContactPlace.COMMUNITY,
            "purpose": ContactPurpose.INTRODUCTION,
        },
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
