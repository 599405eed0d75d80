"""Read-only queries about programs and staff, shared by pages and (later) the API."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import PROGRAM_ROLES, Membership, Program, Role, User


def program_overview(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs with their open caseload and staff counts, in one query."""
    return (
        programs.select_related("agency__region")
        .annotate(
            open_enrollments=Count(
                "clients__enrollments",
                filter=Q(
                    clients__enrollments__closure_date__isnull=True, clients__enrollments__enrollment_date__isnull=False
                ),
                distinct=True,
            ),
            specialist_count=Count(
                "memberships",
                filter=Q(memberships__role=Role.SPECIALIST, memberships__is_active=True),
                distinct=True,
            ),
        )
        .order_by("agency__region__name", "agency__name", "name")
    )


ProgramsArg = Program | int | QuerySet[Program] | Iterable[Program] | Iterable[int]


def _program_ids(programs: ProgramsArg) -> QuerySet[Program] | Iterable[Program] | Iterable[int]:
    if isinstance(programs, Program):
        return [programs.pk]
    if isinstance(programs, int):
        return [programs]
    return programs


def _memberships_in(programs: ProgramsArg, roles: Iterable[str]) -> QuerySet[Membership]:
    return Membership.objects.filter(role__in=list(roles), is_active=True, program__in=_program_ids(programs))


def _memberships_between(
    programs: ProgramsArg, roles: Iterable[str], start: datetime.date, end: datetime.date
) -> QuerySet[Membership]:
    return Membership.objects.filter(
        in_force_between(start, end), role__in=list(roles), program__in=_program_ids(programs)
    )


def in_force_between(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Memberships in force on at least one day of [start, end] (both dates inclusive): started on or
    before `end` and not ended before `start`. `prefix` reaches them through a relation
    ("memberships__"). The one rule for "a program's staff during a period"; today's staff are the
    active memberships (Membership.save keeps is_active = no end date, and no date is in the future)."""
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )


def specialist_memberships_between(
    programs: ProgramsArg, start: datetime.date, end: datetime.date
) -> QuerySet[Membership]:
    """Employment-specialist memberships of `programs` in force on at least one day of [start, end],
    ended ones included: what figures of a period count (outcomes), so that a specialist who left,
    moved or returned changes no past period."""
    return _memberships_between(programs, [Role.SPECIALIST], start, end)


def specialist_membership_on(user: Any, program: Any, day: Any) -> QuerySet[Membership]:
    """Specialist memberships of `user` in `program` in force on `day` (values or expressions such
    as OuterRef("contact_date")): whose was a record dated that day (outcomes.querysets)."""
    return Membership.objects.filter(in_force_between(day, day), role=Role.SPECIALIST, user=user, program=program)


def specialists_between(programs: ProgramsArg, start: datetime.date, end: datetime.date) -> QuerySet[User]:
    """Users with a specialist membership of `programs` in force during [start, end]."""
    return User.objects.filter(pk__in=specialist_memberships_between(programs, start, end).values("user"))


def staff_between(programs: ProgramsArg, start: datetime.date, end: datetime.date) -> QuerySet[User]:
    """Users with a specialist or supervisor membership of `programs` in force during [start, end]."""
    return User.objects.filter(pk__in=_memberships_between(programs, PROGRAM_ROLES, start, end).values("user"))


def _active_in(programs: ProgramsArg, roles: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(pk__in=_memberships_in(programs, roles).values("user"))


def specialists_of(programs: ProgramsArg) -> QuerySet[User]:
    """Users holding an active employment-specialist role in `programs` (a Program, its id, a queryset
    or ids): the one definition of "the program's specialists" for assignment choices and filters."""
    return _active_in(programs, [Role.SPECIALIST])


def specialist_memberships(programs: ProgramsArg) -> QuerySet[Membership]:
    """The active employment-specialist memberships behind `specialists_of` (a user may hold one in
    several programs): for figures counted per program or checked per record (outcomes.metrics)."""
    return _memberships_in(programs, [Role.SPECIALIST])


def staff_of(programs: ProgramsArg) -> QuerySet[User]:
    """Users working in `programs` (active specialists and supervisors): who may be named as the staff
    member of a record, e.g. the one who gave a follow-along support."""
    return _active_in(programs, PROGRAM_ROLES)


def staff_memberships(program: Program) -> QuerySet[Membership]:
    """The program's active memberships (user, role, start date, FTE), for the program page."""
    return (
        Membership.objects.filter(program=program, is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("program", "region").order_by("role")
