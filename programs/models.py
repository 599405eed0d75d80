"""Organisation and roles: Region -> Agency -> Program, and who works where.

Access rules live in programs/access.py; this module only stores the facts they read.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    # updated_at doubles as the version for optimistic locking of edits.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """Staff user. Roles come from Membership rows, never from flags on the user."""

    phone = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Region(TimeStamped):
    """A US state or a country's region: the level at which trainers and programs are compared."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(max_length=16, unique=True, help_text="Short code, e.g. a state abbreviation.")
    country = models.CharField(max_length=64, default="United States")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(TimeStamped):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region")]

    def __str__(self):
        return self.name


class ProgramQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Program(TimeStamped):
    """An IPS team: a supervisor and employment specialists serving one agency's clients."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=160)
    code = models.SlugField(max_length=32, unique=True)
    started_on = models.DateField(null=True, blank=True, help_text="When the program began offering IPS.")
    is_active = models.BooleanField(default=True)

    objects = ProgramQuerySet.as_manager()

    program_path = "pk"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="program_unique_name_in_agency")]

    def __str__(self):
        return self.name

    @property
    def region(self):
        return self.agency.region


class TreatmentTeam(TimeStamped):
    """A mental-health treatment team that the program's specialists are attached to."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="treatment_teams")
    name = models.CharField(max_length=120)

    program_path = "program"

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="team_unique_name_in_program")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    SPECIALIST = "specialist", "Employment specialist"
    SUPERVISOR = "supervisor", "Supervisor"
    TRAINER = "trainer", "State trainer / fidelity reviewer"
    ADMIN = "admin", "Administrator"


PROGRAM_ROLES = (Role.SPECIALIST, Role.SUPERVISOR)

FTE_MIN = Decimal("0.10")
FTE_MAX = Decimal("1.00")


class Membership(TimeStamped):
    """A user's role in one program (specialists, supervisors) or one region (trainers,
    regional administrators). An administrator with neither program nor region is global."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    # The dates a role is in force (both inclusive): figures of a period count the memberships in
    # force during it, so ending or moving a membership never rewrites a past quarter.
    start_date = models.DateField(default=timezone.localdate, help_text="First day in this role.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day in this role; empty while it lasts.")
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(FTE_MIN), MaxValueValidator(FTE_MAX)],
        help_text="Full-time equivalent, 0.1 to 1.0: figures count staff per full-time specialist.",
    )
    # One rule, kept by save(): a membership is active (in force today, read by access checks and the
    # forms choosing today's staff) exactly while it has no end date; ending it = giving an end date.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=PROGRAM_ROLES, program__isnull=False, region__isnull=True)
                    | Q(role=Role.TRAINER, program__isnull=True, region__isnull=False)
                    | Q(role=Role.ADMIN, program__isnull=True)
                ),
                violation_error_message="Specialists and supervisors belong to a program; "
                "trainers to a region; administrators to a region or everything.",
            ),
            models.CheckConstraint(
                name="membership_end_not_before_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                name="membership_fte_range",
                condition=Q(fte__gte=FTE_MIN, fte__lte=FTE_MAX),
                violation_error_message="FTE is between 0.1 and 1.0.",
            ),
            # One open membership per role and scope; ended ones stay as history (leaving and returning).
            models.UniqueConstraint(
                fields=["user", "role", "program"],
                condition=Q(program__isnull=False, end_date__isnull=True),
                name="membership_unique_open_program_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False, end_date__isnull=True),
                name="membership_unique_open_region_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(program__isnull=True, region__isnull=True, end_date__isnull=True),
                name="membership_unique_open_global_role",
            ),
        ]

    def __str__(self):
        scope = self.program or self.region or "all regions"
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def save(self, *args, **kwargs):
        # Keep the one rule: unticking "active" ends the membership today; an end date makes it inactive.
        if not self.is_active and self.end_date is None:
            self.end_date = max(timezone.localdate(), self.start_date)
        self.is_active = self.end_date is None
        super().save(*args, **kwargs)

    def clean(self):
        """Dates not in the future (so "active" = in force today) and no overlap with another
        membership of the same person, role and scope (their history would count twice)."""
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.start_date and self.start_date > today:
            errors["start_date"] = "The start date cannot be in the future."
        if self.end_date and self.end_date > today:
            errors["end_date"] = "The end date cannot be in the future: end a membership on or after its last day."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if errors:
            raise ValidationError(errors)
        if self.start_date and self.user_id:
            others = Membership.objects.filter(
                user_id=self.user_id, role=self.role, program_id=self.program_id, region_id=self.region_id
            ).exclude(pk=self.pk)
            others = others.filter(start_date__lte=self.end_date or datetime.date.max).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
            )
            if others.exists():
                raise ValidationError({"start_date": "This person already holds this role here on some of these days."})
