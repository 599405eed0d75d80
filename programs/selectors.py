"""Read-only queries about programs and staff, shared by pages and (later) the API."""

from django.db.models import Count, Q

from .models import Membership, Program, Role, User


def program_overview(programs):
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


def specialists_of(programs):
    """Users holding an active employment-specialist role in `programs` (a Program, a queryset or ids):
    the one definition of "the program's specialists" for assignment choices and filters."""
    if isinstance(programs, Program):
        programs = [programs.pk]
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.SPECIALIST, is_active=True, program__in=programs).values("user")
    )


def program_staff(program):
    return (
        Membership.objects.filter(program=program, is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def memberships_of(user):
    return Membership.objects.filter(user=user, is_active=True).select_related("program", "region").order_by("role")
