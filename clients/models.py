"""Clients, their enrollment episodes and what a specialist records about them.

Every model here carries `program_path`, the lookup from the model to its Program, which the
access layer (programs/access.py) uses to scope querysets. Only synthetic data is ever stored
in development, demo and tests.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from programs.models import Program, TimeStamped, TreatmentTeam

from .plausible import NOTE_MAX_LENGTH, PlausibleDates, note_length


def note_field(**kwargs):
    """A free-text note of at most NOTE_MAX_LENGTH characters (the form shows a counter)."""
    help_text = kwargs.pop("help_text", f"At most {NOTE_MAX_LENGTH:,} characters.")
    return models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[note_length], help_text=help_text, **kwargs
    )


def note_within_limit(field, name):
    """The database's side of the note limit."""
    return models.CheckConstraint(
        name=name,
        condition=LessThanOrEqual(Length(field), NOTE_MAX_LENGTH),
        violation_error_message=f"A note is at most {NOTE_MAX_LENGTH:,} characters.",
    )


class DiagnosisGroup(models.TextChoices):
    SCHIZOPHRENIA = "schizophrenia", "Schizophrenia spectrum"
    BIPOLAR = "bipolar", "Bipolar disorder"
    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    OTHER = "other", "Other"


class EducationLevel(models.TextChoices):
    NONE = "none", "No high-school diploma"
    HIGH_SCHOOL = "high_school", "High school / GED"
    SOME_COLLEGE = "some_college", "Some college or vocational training"
    DEGREE = "degree", "College degree"


class DisclosurePreference(models.TextChoices):
    UNDECIDED = "undecided", "Undecided"
    NONE = "none", "Does not want to disclose"
    PARTIAL = "partial", "Some disclosure"
    FULL = "full", "Full disclosure"


class ClientQuerySet(models.QuerySet):
    def with_open_enrollment(self):
        return self.filter(enrollments__closure_date__isnull=True).distinct()


class Client(TimeStamped):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="clients")
    record_number = models.CharField(max_length=32, help_text="The program's own client number.")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=32, blank=True)
    diagnosis_group = models.CharField(max_length=16, choices=DiagnosisGroup.choices)
    treatment_team = models.ForeignKey(
        TreatmentTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    education_level = models.CharField(max_length=16, choices=EducationLevel.choices, blank=True)
    disclosure_preference = models.CharField(
        max_length=16, choices=DisclosurePreference.choices, default=DisclosurePreference.UNDECIDED
    )

    objects = ClientQuerySet.as_manager()

    program_path = "program"

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "record_number"], name="client_unique_record_number"),
        ]
        indexes = [models.Index(fields=["program", "last_name", "first_name"])]

    def __str__(self):
        return f"{self.display_name} ({self.record_number})"

    @property
    def display_name(self):
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"


class ClosureReason(models.TextChoices):
    GOAL_MET = "goal_met", "Working steadily, no longer wants services"
    DECLINED = "declined", "No longer interested in work"
    MOVED = "moved", "Moved away"
    LOST_CONTACT = "lost_contact", "Could not be reached"
    HEALTH = "health", "Health reasons"
    INCARCERATED = "incarcerated", "Incarcerated"
    DECEASED = "deceased", "Deceased"
    TRANSFERRED = "transferred", "Transferred to another service"
    OTHER = "other", "Other"


class EnrollmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closure_date__isnull=True)

    def active_between(self, start, end):
        """Episodes enrolled on any day of [start, end]: enrolled on or before `end` and
        not closed before `start` (the reference's definition of the active caseload)."""
        return self.filter(enrollment_date__lte=end).filter(Q(closure_date__isnull=True) | Q(closure_date__gte=start))


class Enrollment(PlausibleDates, TimeStamped):
    """One episode of IPS services. A client may re-enrol; at most one episode is open."""

    past_dates = {
        "referral_date": "The referral date",
        "enrollment_date": "The enrollment date",
        "closure_date": "The closure date",
    }

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="enrollments")
    referral_date = models.DateField()
    # Blank while the referral is pending; a closed or old episode without it is a data-quality
    # problem that reports list instead of dropping silently.
    enrollment_date = models.DateField(null=True, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    employed_at_enrollment = models.BooleanField(default=False)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=16, choices=ClosureReason.choices, blank=True)
    closure_note = note_field()

    objects = EnrollmentQuerySet.as_manager()

    program_path = "client__program"

    class Meta:
        ordering = ["-referral_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(closure_date__isnull=True), name="enrollment_one_open_per_client"
            ),
            models.CheckConstraint(
                name="enrollment_after_referral",
                condition=Q(enrollment_date__isnull=True) | Q(enrollment_date__gte=F("referral_date")),
                violation_error_message="The enrollment date cannot be before the referral date.",
            ),
            models.CheckConstraint(
                name="enrollment_closure_after_start",
                condition=Q(closure_date__isnull=True)
                | Q(enrollment_date__isnull=True, closure_date__gte=F("referral_date"))
                | Q(closure_date__gte=F("enrollment_date")),
                violation_error_message="The closure date cannot be before the enrollment date.",
            ),
            models.CheckConstraint(
                name="enrollment_closure_has_reason",
                condition=Q(closure_date__isnull=True) | ~Q(closure_reason=""),
                violation_error_message="A closed enrollment needs a closure reason.",
            ),
        ]
        indexes = [models.Index(fields=["specialist", "closure_date"]), models.Index(fields=["enrollment_date"])]

    def __str__(self):
        return f"{self.client} from {self.enrollment_date or self.referral_date}"

    @property
    def is_open(self):
        return self.closure_date is None


class ContactWith(models.TextChoices):
    CLIENT = "client", "Client"
    EMPLOYER = "employer", "Employer"
    FAMILY = "family", "Family / friend"
    MH_TEAM = "mh_team", "Mental-health team"
    VR_COUNSELOR = "vr_counselor", "VR counselor"
    BENEFITS_PLANNER = "benefits_planner", "Benefits planner"
    OTHER = "other", "Other"


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text / e-mail"


class ContactPlace(models.TextChoices):
    COMMUNITY = "community", "In the community"
    OFFICE = "office", "In the office"


class Contact(PlausibleDates, TimeStamped):
    """The contact log: one entry per contact about a client."""

    past_dates = {"contact_date": "The contact date"}
    after_referral = ("contact_date",)

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="logged_contacts"
    )
    contact_date = models.DateField()
    with_whom = models.CharField(max_length=20, choices=ContactWith.choices, default=ContactWith.CLIENT)
    # Blank only for imported records; forms require it and reports list the blanks.
    mode = models.CharField(max_length=16, choices=ContactMode.choices, blank=True)
    place = models.CharField(max_length=16, choices=ContactPlace.choices, default=ContactPlace.COMMUNITY)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = note_field()

    program_path = "client__program"

    class Meta:
        ordering = ["-contact_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                name="contact_minutes_within_a_day",
                condition=Q(minutes__isnull=True) | Q(minutes__gte=0, minutes__lte=24 * 60),
                violation_error_message="Minutes must be between 0 and 1440.",
            ),
            note_within_limit("note", "contact_note_length"),
        ]
        indexes = [models.Index(fields=["client", "contact_date"]), models.Index(fields=["staff", "contact_date"])]

    def __str__(self):
        return f"{self.contact_date} {self.get_with_whom_display()} ({self.client_id})"


class CareerProfile(PlausibleDates, TimeStamped):
    """The vocational profile, updated after every job start and job end."""

    past_dates = {"last_reviewed": "The review date"}

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="career_profile")
    work_goals = models.TextField(blank=True)
    education_and_licences = models.TextField(blank=True)
    skills_and_strengths = models.TextField(blank=True)
    preferred_job_types = models.TextField(blank=True)
    preferred_hours = models.CharField(max_length=120, blank=True)
    preferred_setting = models.CharField(max_length=200, blank=True)
    preferred_location = models.CharField(max_length=200, blank=True)
    current_adjustment = models.TextField(blank=True, help_text="Symptoms, coping, what helps at work.")
    transportation = models.CharField(max_length=200, blank=True)
    benefits_summary = models.TextField(blank=True)
    support_network = models.TextField(blank=True)
    disclosure_preferences = models.TextField(blank=True)
    last_reviewed = models.DateField(null=True, blank=True)

    program_path = "client__program"

    def __str__(self):
        return f"Career profile of {self.client}"


class WorkHistoryEntry(PlausibleDates, TimeStamped):
    # Jobs held before the referral belong here, so only "not in the future" applies.
    past_dates = {"start_date": "The start date", "end_date": "The end date"}

    profile = models.ForeignKey(CareerProfile, on_delete=models.CASCADE, related_name="work_history")
    employer_name = models.CharField(max_length=160)
    job_title = models.CharField(max_length=160)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    duties = models.TextField(blank=True)
    liked = models.TextField(blank=True)
    disliked = models.TextField(blank=True)
    reason_left = models.TextField(blank=True)

    program_path = "profile__client__program"

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "work history entries"
        constraints = [
            models.CheckConstraint(
                name="work_history_end_after_start",
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.job_title} at {self.employer_name}"


class EmploymentPlan(TimeStamped):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="employment_plans")
    goal = models.TextField()
    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)

    program_path = "client__program"

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_current=True), name="employment_plan_one_current_per_client"
            ),
            models.CheckConstraint(
                name="employment_plan_review_after_start",
                condition=Q(review_date__isnull=True) | Q(review_date__gte=F("start_date")),
                violation_error_message="The review date cannot be before the plan starts.",
            ),
        ]

    def __str__(self):
        return f"Plan for {self.client} from {self.start_date}"


class StepOwner(models.TextChoices):
    CLIENT = "client", "Client"
    SPECIALIST = "specialist", "Employment specialist"
    MH_TEAM = "mh_team", "Mental-health team"
    FAMILY = "family", "Family / supporter"
    BENEFITS_PLANNER = "benefits_planner", "Benefits planner"
    VR_COUNSELOR = "vr_counselor", "VR counselor"


class PlanStep(PlausibleDates, TimeStamped):
    past_dates = {"completed_on": "The completion date"}
    after_referral = ("completed_on",)

    plan = models.ForeignKey(EmploymentPlan, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    responsible = models.CharField(max_length=20, choices=StepOwner.choices, default=StepOwner.CLIENT)
    target_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    program_path = "plan__client__program"

    class Meta:
        ordering = ["position", "target_date", "pk"]

    def __str__(self):
        return self.description

    def referral_client_id(self):
        return self.plan.client_id if self.plan_id else None


class Benefit(models.TextChoices):
    SSI = "ssi", "SSI"
    SSDI = "ssdi", "SSDI"
    MEDICAID = "medicaid", "Medicaid"
    MEDICARE = "medicare", "Medicare"
    HOUSING = "housing", "Housing subsidy"
    SNAP = "snap", "SNAP"
    VA = "va", "VA benefits"
    TANF = "tanf", "TANF"
    OTHER = "other", "Other"


class WorkIncentive(models.TextChoices):
    TWP = "twp", "Trial Work Period"
    EPE = "epe", "Extended Period of Eligibility"
    SSI_EIE = "ssi_eie", "SSI earned-income exclusion"
    SEIE = "seie", "Student Earned Income Exclusion"
    PASS = "pass", "PASS"
    IRWE = "irwe", "IRWE"
    S1619B = "1619b", "1619(b)"
    TICKET = "ticket", "Ticket to Work"


class CounselorType(models.TextChoices):
    INTERNAL = "internal", "Program benefits planner"
    WIPA = "wipa", "Outside work-incentives planner"


class BenefitsCounselingSession(PlausibleDates, TimeStamped):
    past_dates = {"session_date": "The session date"}
    after_referral = ("session_date",)

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="benefits_sessions")
    session_date = models.DateField()
    counselor_name = models.CharField(max_length=120)
    counselor_type = models.CharField(max_length=16, choices=CounselorType.choices, default=CounselorType.INTERNAL)
    # Lists of Benefit / WorkIncentive values; forms offer the choices.
    benefits_held = models.JSONField(default=list, blank=True)
    work_incentives_discussed = models.JSONField(default=list, blank=True)
    written_plan_given = models.BooleanField(default=False)
    next_review_date = models.DateField(null=True, blank=True)
    notes = note_field()

    program_path = "client__program"

    class Meta:
        ordering = ["-session_date"]
        constraints = [
            models.CheckConstraint(
                name="benefits_next_review_after_session",
                condition=Q(next_review_date__isnull=True) | Q(next_review_date__gte=F("session_date")),
                violation_error_message="The next review cannot be before the session.",
            ),
            note_within_limit("notes", "benefits_notes_length"),
        ]

    def __str__(self):
        return f"Benefits counseling {self.session_date} ({self.client_id})"

    def get_benefits_held_display(self):
        return [Benefit(value).label for value in self.benefits_held if value in Benefit.values]

    def get_work_incentives_discussed_display(self):
        return [WorkIncentive(value).label for value in self.work_incentives_discussed if value in WorkIncentive.values]


class EducationActivity(TimeStamped):
    """School or training a client attends: 'clients in education' is counted from these."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="education_activities")
    institution = models.CharField(max_length=160)
    program_of_study = models.CharField(max_length=160, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    program_path = "client__program"

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "education activities"
        constraints = [
            models.CheckConstraint(
                name="education_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.institution} ({self.client_id})"
