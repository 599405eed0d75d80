"""The access layer: which programs, clients and records a user may see and change.

Every view, form, export, task and API endpoint asks this module, never the user's flags
directly. A record is reached through its model's `program_path` (the lookup from the model
to its Program), so scoping any queryset is one call:

    scope(Client.objects.all(), request.user, Capability.VIEW_CLIENTS)

Lookups of single records go through `get_scoped_or_404`, so another program's record is a
404 (not a 403 that would confirm it exists).
"""

from django.db.models import Exists, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Program, Region, Role


class Capability:
    VIEW_CLIENTS = "view_clients"  # client-level health information
    EDIT_CLIENTS = "edit_clients"
    VIEW_AGGREGATES = "view_aggregates"  # program figures without client names
    MANAGE_PROGRAM = "manage_program"  # supervisor work: action plans, report requests
    REVIEW_FIDELITY = "review_fidelity"  # schedule and score fidelity reviews
    VIEW_FIDELITY_REPORT = "view_fidelity_report"
    ADMINISTER = "administer"


_S, _SV, _T, _A = Role.SPECIALIST, Role.SUPERVISOR, Role.TRAINER, Role.ADMIN

# Trainers see aggregates and fidelity, never client names (until time-limited chart access exists).
ROLE_CAPABILITIES = {
    Capability.VIEW_CLIENTS: {_S, _SV, _A},
    Capability.EDIT_CLIENTS: {_S, _SV, _A},
    Capability.VIEW_AGGREGATES: {_S, _SV, _T, _A},
    Capability.MANAGE_PROGRAM: {_SV, _A},
    Capability.REVIEW_FIDELITY: {_T, _A},
    Capability.VIEW_FIDELITY_REPORT: {_S, _SV, _T, _A},
    Capability.ADMINISTER: {_A},
}


def _memberships(user, capability):
    roles = ROLE_CAPABILITIES[capability]
    return Membership.objects.filter(user=user, role__in=roles, is_active=True)


def programs_for(user, capability):
    """Programs on which `user` holds `capability`, as one lazily evaluated queryset."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    memberships = _memberships(user, capability)
    # One lazily evaluated query: embedded as a subquery wherever a queryset is scoped.
    return Program.objects.filter(
        Q(pk__in=memberships.filter(program__isnull=False).values("program"))
        | Q(agency__region__in=memberships.filter(region__isnull=False).values("region"))
        | Exists(memberships.filter(program__isnull=True, region__isnull=True))
    )


def regions_for(user, capability):
    """Regions on which `user` holds `capability` for the whole region (trainers, admins)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    memberships = _memberships(user, capability)
    return Region.objects.filter(
        Q(pk__in=memberships.filter(region__isnull=False).values("region"))
        | Exists(memberships.filter(program__isnull=True, region__isnull=True))
    )


def scope(queryset, user, capability):
    """Limit any queryset of a model with a `program_path` to what `user` may reach."""
    path = queryset.model.program_path
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return queryset.filter(**{lookup: programs_for(user, capability)})


def get_scoped_or_404(queryset, user, capability, **lookup):
    """Fetch one record through the access layer; anything out of scope is a 404."""
    if not hasattr(queryset, "model"):
        queryset = queryset._default_manager.all()
    return get_object_or_404(scope(queryset, user, capability), **lookup)


def can(user, capability, program):
    """Does `user` hold `capability` on `program` (a Program or its id)?"""
    if program is None:
        return False
    program_id = getattr(program, "pk", program)
    return programs_for(user, capability).filter(pk=program_id).exists()


def require(user, capability, program):
    """Raise Http404 unless `user` holds `capability` on `program`."""
    if not can(user, capability, program):
        raise Http404("No such record.")


def roles_of(user):
    """The set of roles the user holds anywhere (for navigation and landing pages)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


class ScopedQuerysetMixin:
    """For class-based views: `get_queryset` is always limited by the access layer."""

    capability = Capability.VIEW_CLIENTS

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.capability)
