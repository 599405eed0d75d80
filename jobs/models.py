"""Employers, job development and jobs: what the employment measures are counted from."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from benchmarks.models import WAGE_CEILING, BenchmarkSettings
from clients.models import Client, note_field
from clients.plausible import PlausibleDates
from programs.models import Program, TimeStamped

_LEGAL_SUFFIXES = {"inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company", "the"}


def normalize_employer_name(name):
    """'The Corner Bakery, Inc.' and 'corner bakery' are the same employer."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = text.replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in _LEGAL_SUFFIXES]
    return " ".join(kept or words)


class OccupationGroup(models.TextChoices):
    """US SOC 2018 major groups, so that diversity of job types can be measured."""

    MANAGEMENT = "11", "Management"
    BUSINESS = "13", "Business and financial operations"
    COMPUTER = "15", "Computer and mathematical"
    ENGINEERING = "17", "Architecture and engineering"
    SCIENCE = "19", "Life, physical and social science"
    COMMUNITY = "21", "Community and social service"
    LEGAL = "23", "Legal"
    EDUCATION = "25", "Educational instruction and library"
    ARTS = "27", "Arts, design, entertainment, sports and media"
    HEALTHCARE_PRACTITIONERS = "29", "Healthcare practitioners and technical"
    HEALTHCARE_SUPPORT = "31", "Healthcare support"
    PROTECTIVE = "33", "Protective service"
    FOOD = "35", "Food preparation and serving"
    BUILDING = "37", "Building and grounds cleaning and maintenance"
    PERSONAL_CARE = "39", "Personal care and service"
    SALES = "41", "Sales and related"
    OFFICE = "43", "Office and administrative support"
    FARMING = "45", "Farming, fishing and forestry"
    CONSTRUCTION = "47", "Construction and extraction"
    MAINTENANCE = "49", "Installation, maintenance and repair"
    PRODUCTION = "51", "Production"
    TRANSPORTATION = "53", "Transportation and material moving"


class Employer(TimeStamped):
    """An employer known to a program, shared by its specialists (no duplicates)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="employers")
    name = models.CharField(max_length=160)
    normalized_name = models.CharField(max_length=160, editable=False)
    industry = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=240, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    contact_person = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)

    program_path = "program"

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "normalized_name"], name="employer_unique_name_in_program"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_employer_name(self.name)
        super().save(*args, **kwargs)


class ContactPurpose(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction / learn about the business"
    CLIENT_SPECIFIC = "client_specific", "Discuss a specific client"
    FOLLOW_UP = "follow_up", "Follow-up"
    JOB_OPENING = "job_opening", "Ask about openings"
    INTERVIEW = "interview", "Interview / application"
    SUPPORT = "support", "Support a working client"


class MadeBy(models.TextChoices):
    SPECIALIST = "specialist", "Specialist"
    CLIENT = "client", "Client (with specialist's help)"
    BOTH = "both", "Client and specialist together"


class EmployerContact(PlausibleDates, TimeStamped):
    """The job-development log. Face-to-face contacts count toward the weekly target."""

    past_dates = {"contact_date": "The contact date"}

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contacts")
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="employer_contacts"
    )
    contact_date = models.DateField()
    contact_person = models.CharField(max_length=120, blank=True)
    face_to_face = models.BooleanField(default=True)
    client_specific = models.BooleanField(default=False)
    made_by = models.CharField(max_length=16, choices=MadeBy.choices, default=MadeBy.SPECIALIST)
    clients = models.ManyToManyField(Client, blank=True, related_name="employer_contacts")
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices, default=ContactPurpose.INTRODUCTION)
    outcome = models.TextField(blank=True)
    next_step = models.CharField(max_length=300, blank=True)

    program_path = "employer__program"

    class Meta:
        ordering = ["-contact_date", "-created_at"]
        # Program-wide counts filter by date range first (metrics, dashboards, quarterly reports).
        indexes = [models.Index(fields=["specialist", "contact_date"]), models.Index(fields=["contact_date"])]

    def __str__(self):
        return f"{self.contact_date} {self.employer}"


class JobType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    TEMPORARY = "temporary", "Temporary"
    SEASONAL = "seasonal", "Seasonal"


class Disclosure(models.TextChoices):
    NONE = "none", "No disclosure"
    PARTIAL = "partial", "Partial disclosure"
    FULL = "full", "Full disclosure"


class JobEndType(models.TextChoices):
    QUIT = "quit", "Quit"
    FIRED = "fired", "Fired"
    LAID_OFF = "laid_off", "Laid off"
    TEMPORARY_ENDED = "temporary_ended", "Temporary job ended"


class JobStartQuerySet(models.QuerySet):
    def competitive(self):
        return self.filter(is_competitive=True)

    def held_between(self, start, end):
        """Jobs held on at least one day of [start, end]."""
        return self.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))


def wage_error(wage, bounds: BenchmarkSettings) -> str | None:
    """Why an hourly wage is refused outright (outside the configured hard bounds), or None."""
    if wage is None:
        return None
    if wage < bounds.wage_min:
        return f"An hourly wage below ${bounds.wage_min} is not plausible: check the figure."
    if wage > bounds.wage_max:
        return f"An hourly wage above ${bounds.wage_max} is not plausible: check the figure."
    return None


def wage_is_unusual(wage, bounds: BenchmarkSettings) -> bool:
    """A wage inside the hard bounds but outside the usual band: saved once the user confirms it."""
    return wage is not None and not bounds.wage_unusual_low <= wage <= bounds.wage_unusual_high


class JobStart(PlausibleDates, TimeStamped):
    """A job, counted from the first paid shift, with its end once it ends."""

    past_dates = {"start_date": "The start date", "end_date": "The end date"}
    after_referral = ("start_date", "end_date")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="job_starts")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="job_starts")
    job_title = models.CharField(max_length=160)
    # Blank only for imported records: reports list jobs missing hours or occupation group.
    occupation_group = models.CharField(max_length=2, choices=OccupationGroup.choices, blank=True)
    start_date = models.DateField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    hourly_wage = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    is_competitive = models.BooleanField(
        default=True, help_text="Open to anyone, at least minimum wage, same pay as co-workers."
    )
    job_type = models.CharField(max_length=16, choices=JobType.choices, default=JobType.PERMANENT)
    disclosure = models.CharField(max_length=16, choices=Disclosure.choices, default=Disclosure.NONE)
    benefits_discussed = models.BooleanField(default=False, help_text="Benefits counseling before the start.")
    end_date = models.DateField(null=True, blank=True)
    end_type = models.CharField(max_length=20, choices=JobEndType.choices, blank=True)
    end_reason = note_field()
    lessons_learned = note_field()
    next_step = models.CharField(max_length=300, blank=True)

    objects = JobStartQuerySet.as_manager()

    program_path = "client__program"

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                name="job_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="A job cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="job_end_type_with_end_date",
                condition=Q(end_date__isnull=True, end_type="") | Q(end_date__isnull=False) & ~Q(end_type=""),
                violation_error_message="A job end needs both an end date and an end type.",
            ),
            models.CheckConstraint(
                name="job_hours_in_range",
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gt=0, hours_per_week__lte=80),
                violation_error_message="Hours per week must be more than 0 and at most 80.",
            ),
            models.CheckConstraint(
                name="job_wage_in_range",
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gt=0, hourly_wage__lte=WAGE_CEILING),
                violation_error_message=f"The hourly wage must be more than 0 and at most {WAGE_CEILING}.",
            ),
        ]
        indexes = [models.Index(fields=["client", "start_date"]), models.Index(fields=["start_date"])]

    def __str__(self):
        return f"{self.job_title} at {self.employer}"

    @property
    def is_current(self):
        return self.end_date is None

    def plausibility_errors(self, exclude=frozenset()):
        errors = super().plausibility_errors(exclude)
        if "hourly_wage" not in exclude:
            message = wage_error(self.hourly_wage, BenchmarkSettings.current())
            if message:
                errors.setdefault("hourly_wage", []).append(message)
        return errors


class SupportProvider(models.TextChoices):
    SPECIALIST = "specialist", "Employment specialist"
    CLINICIAN = "clinician", "Clinician / MH team"
    FAMILY = "family", "Family"
    COWORKER = "coworker", "Co-worker"
    EMPLOYER = "employer", "Employer (at the client's request)"
    PEER = "peer", "Peer specialist"


class FollowAlongSupport(PlausibleDates, TimeStamped):
    """One follow-along support given to a working client."""

    past_dates = {"support_date": "The support date"}
    after_referral = ("support_date",)

    job = models.ForeignKey(JobStart, on_delete=models.CASCADE, related_name="supports")
    support_date = models.DateField()
    provider = models.CharField(max_length=16, choices=SupportProvider.choices, default=SupportProvider.SPECIALIST)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supports_given"
    )
    description = models.CharField(max_length=300)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    program_path = "job__client__program"

    class Meta:
        ordering = ["-support_date"]
        constraints = [
            models.CheckConstraint(
                name="support_minutes_within_a_day",
                condition=Q(minutes__isnull=True) | Q(minutes__lte=24 * 60),
                violation_error_message="Minutes must be at most 1440.",
            ),
        ]

    def __str__(self):
        return f"{self.support_date} {self.get_provider_display()} ({self.job_id})"

    def referral_client_id(self):
        return self.job.client_id if self.job_id else None
