"""The access layer: which programs, clients and records a user may see and change.

Every view, form, export, task, service and API endpoint asks this module, never the user's flags
directly. A record is reached through its model's `program_path` (the lookup from the model
to its Program), so scoping any queryset is one call:

    scope(Client.objects.all(), request.user, Capability.VIEW_CLIENTS)

Lookups of single records go through `get_scoped_or_404`, and services check the records they are
handed with `require`, so another program's record is a 404 (not a 403 that would confirm it exists).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.models import Action
from audit.services import keep_if_rolled_back, record

from .models import Membership, Program, Region, Role, User

# Whoever is asking: request.user in views (possibly anonymous), the acting user in services.
Actor = User | AnonymousUser

M = TypeVar("M", bound=models.Model)


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
ROLE_CAPABILITIES: dict[str, set[str]] = {
    Capability.VIEW_CLIENTS: {_S, _SV, _A},
    Capability.EDIT_CLIENTS: {_S, _SV, _A},
    Capability.VIEW_AGGREGATES: {_S, _SV, _T, _A},
    Capability.MANAGE_PROGRAM: {_SV, _A},
    Capability.REVIEW_FIDELITY: {_T, _A},
    Capability.VIEW_FIDELITY_REPORT: {_S, _SV, _T, _A},
    Capability.ADMINISTER: {_A},
}


def _signed_in(user: Actor) -> User | None:
    """The user when signed in and active; None for anonymous or deactivated users."""
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def _memberships(user: User, capability: str) -> QuerySet[Membership]:
    roles = ROLE_CAPABILITIES[capability]
    return Membership.objects.filter(user=user, role__in=roles, is_active=True)


def programs_for(user: Actor, capability: str) -> QuerySet[Program]:
    """Programs on which `user` holds `capability`, as one lazily evaluated queryset."""
    member = _signed_in(user)
    if member is None:
        return Program.objects.none()
    if member.is_superuser:
        return Program.objects.all()
    memberships = _memberships(member, capability)
    # One lazily evaluated query: embedded as a subquery wherever a queryset is scoped.
    return Program.objects.filter(
        Q(pk__in=memberships.filter(program__isnull=False).values("program"))
        | Q(agency__region__in=memberships.filter(region__isnull=False).values("region"))
        | Exists(memberships.filter(program__isnull=True, region__isnull=True))
    )


def regions_for(user: Actor, capability: str) -> QuerySet[Region]:
    """Regions on which `user` holds `capability` for the whole region (trainers, admins)."""
    member = _signed_in(user)
    if member is None:
        return Region.objects.none()
    if member.is_superuser:
        return Region.objects.all()
    memberships = _memberships(member, capability)
    return Region.objects.filter(
        Q(pk__in=memberships.filter(region__isnull=False).values("region"))
        | Exists(memberships.filter(program__isnull=True, region__isnull=True))
    )


def scope(queryset: QuerySet[M], user: Actor, capability: str) -> QuerySet[M]:
    """Limit any queryset of a model with a `program_path` to what `user` may reach."""
    path: str = queryset.model.program_path  # type: ignore[attr-defined]  # every scoped model declares it
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    return queryset.filter(**{lookup: programs_for(user, capability)})


def get_scoped_or_404(queryset: QuerySet[M] | type[M], user: Actor, capability: str, **lookup: Any) -> M:
    """Fetch one record through the access layer; anything out of scope is a 404 (and an existing
    record out of scope is a `denied` audit event)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        return get_object_or_404(scope(queryset, user, capability), **lookup)
    except Http404:
        record_refusal(queryset.filter(**lookup), user, capability)
        raise


def record_refusal(queryset: QuerySet[Any], user: Actor, capability: str) -> None:
    """Audit a refusal when the record asked for exists (out of scope, not missing). Only on the
    refused path: one query, never one per row of a list. Inside a transaction (a service's), the
    entry would be rolled back with it: it is kept and written again after the request if so."""
    refused = queryset.order_by().first()
    if refused is not None:
        event = record(None, Action.DENIED, refused, user=_signed_in(user), detail={"capability": capability})
        if connection.in_atomic_block:
            keep_if_rolled_back(event)


def can(user: Actor, capability: str, program: Program | int | None) -> bool:
    """Does `user` hold `capability` on `program` (a Program or its id)?"""
    if program is None:
        return False
    program_id = program.pk if isinstance(program, Program) else program
    return programs_for(user, capability).filter(pk=program_id).exists()


def require(user: Actor, capability: str, *records: models.Model) -> None:
    """Raise Http404 unless `user` holds `capability` on every saved record given (one query each,
    read from the database along the model's `program_path`, not from the objects in memory).

    Services call it on what they are asked to change, as views do with `get_scoped_or_404`."""
    for obj in records:
        if not scope(type(obj)._default_manager.filter(pk=obj.pk), user, capability).exists():
            record_refusal(type(obj)._default_manager.filter(pk=obj.pk), user, capability)
            raise Http404("No such record.")


def roles_of(user: Actor) -> set[str]:
    """The set of roles the user holds anywhere (for navigation and landing pages)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    roles = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


# --- The Django admin: what an administrator may manage -------------------------------------------


def administers_everything(user: Actor) -> bool:
    """Superusers only: they alone grant superuser, staff, permissions or a global administrator role."""
    member = _signed_in(user)
    return member is not None and member.is_superuser


def is_global_administrator(user: Actor) -> bool:
    """Superusers and holders of an administrator role over every region: they edit reference data
    (benchmarks, the fidelity scale) that every region shares."""
    member = _signed_in(user)
    if member is None:
        return False
    return member.is_superuser or (
        _memberships(member, Capability.ADMINISTER).filter(program__isnull=True, region__isnull=True).exists()
    )


def scope_administered(
    queryset: QuerySet[M],
    user: Actor,
    *,
    program_path: str | None = None,
    region_path: str | None = None,
    capability: str = Capability.ADMINISTER,
) -> QuerySet[M]:
    """Rows of `queryset` on a program or region `user` administers (the admin's scoping).

    `program_path`/`region_path` lead from the model to its Program/Region (a regional report has a
    region and no program); a model with neither is reference data every administrator reads."""
    member = _signed_in(user)
    if member is None:
        return queryset.none()
    if member.is_superuser:
        return queryset
    model: Any = queryset.model
    if model is Region:
        return queryset.filter(pk__in=regions_for(member, capability))
    if model is User:
        return manageable_users(queryset, member)  # type: ignore[arg-type,return-value]  # model checked
    program_path = program_path or getattr(model, "program_path", None)
    condition = Q()
    if program_path is not None:
        lookup = "pk__in" if program_path == "pk" else f"{program_path}__in"
        condition |= Q(**{lookup: programs_for(member, capability)})
    if region_path is not None:
        condition |= Q(**{f"{region_path}__in": regions_for(member, capability)})
    if not condition:
        return queryset
    return queryset.filter(condition)


def manageable_users(queryset: QuerySet[User], user: Actor) -> QuerySet[User]:
    """Users a regional administrator may open (and reset the password of): never staff or
    superusers, and only people with no membership outside the administrator's programs and regions."""
    member = _signed_in(user)
    if member is None:
        return queryset.none()
    if member.is_superuser:
        return queryset
    programs = programs_for(member, Capability.ADMINISTER)
    regions = regions_for(member, Capability.ADMINISTER)
    outside = Membership.objects.filter(user=models.OuterRef("pk")).exclude(
        Q(program__in=programs) | Q(region__in=regions)
    )
    # A user with no membership yet (just added) sees nothing, so any administrator may set them up.
    return queryset.filter(is_superuser=False, is_staff=False).exclude(Exists(outside))


def colleagues_administered(queryset: QuerySet[User], user: Actor) -> QuerySet[User]:
    """Users to pick in an administered record (a specialist, a reviewer): members of its programs
    or regions. Picking is not editing: staff are listed too."""
    member = _signed_in(user)
    if member is None:
        return queryset.none()
    if member.is_superuser:
        return queryset
    programs = programs_for(member, Capability.ADMINISTER)
    regions = regions_for(member, Capability.ADMINISTER)
    inside = Membership.objects.filter(user=models.OuterRef("pk")).filter(
        Q(program__in=programs) | Q(program__agency__region__in=regions) | Q(region__in=regions)
    )
    return queryset.filter(Exists(inside))
