from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record

from . import selectors
from .access import Capability, get_scoped_or_404, programs_for, roles_of
from .models import Program, Role


@login_required
def home(request):
    # Specialists spend their day on their caseload: that is where they land.
    if roles_of(request.user) == {Role.SPECIALIST}:
        return redirect("clients:caseload")
    programs = selectors.program_overview(programs_for(request.user, Capability.VIEW_AGGREGATES))
    return render(
        request,
        "programs/home.html",
        {"programs": programs, "memberships": selectors.memberships_of(request.user)},
    )


@login_required
def program_detail(request, code):
    program = get_scoped_or_404(
        selectors.program_overview(Program.objects.all()), request.user, Capability.VIEW_AGGREGATES, code=code
    )
    record(request, Action.VIEW, program)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "staff": selectors.staff_memberships(program),
            "teams": program.treatment_teams.all(),
        },
    )


@require_GET
def health(request):
    """Liveness and database check for load balancers; no data, no login."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
