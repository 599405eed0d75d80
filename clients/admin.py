from django.contrib import admin

from programs.admin_mixins import ScopedAdmin, ScopedChoicesMixin

from .models import (
    BenefitsCounselingSession,
    CareerProfile,
    Client,
    Contact,
    EducationActivity,
    EmploymentPlan,
    Enrollment,
    PlanStep,
    WorkHistoryEntry,
)


class EnrollmentInline(ScopedChoicesMixin, admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = [
        "referral_date",
        "enrollment_date",
        "specialist",
        "employed_at_enrollment",
        "closure_date",
        "closure_reason",
    ]


@admin.register(Client)
class ClientAdmin(ScopedAdmin):
    list_display = ["record_number", "last_name", "first_name", "program", "diagnosis_group", "treatment_team"]
    list_filter = ["program", "diagnosis_group", "disclosure_preference"]
    search_fields = ["record_number", "last_name", "first_name", "preferred_name"]
    list_select_related = ["program", "treatment_team"]
    inlines = [EnrollmentInline]


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdmin):
    list_display = ["client", "referral_date", "enrollment_date", "specialist", "closure_date", "closure_reason"]
    list_filter = ["client__program", "closure_reason", "employed_at_enrollment"]
    search_fields = ["client__record_number", "client__last_name", "specialist__username"]
    date_hierarchy = "referral_date"
    list_select_related = ["client", "specialist"]
    autocomplete_fields = ["client"]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ["contact_date", "client", "with_whom", "mode", "place", "minutes", "staff"]
    list_filter = ["with_whom", "mode", "place", "client__program"]
    search_fields = ["client__record_number", "client__last_name", "staff__username"]
    date_hierarchy = "contact_date"
    list_select_related = ["client", "staff"]
    autocomplete_fields = ["client"]


class WorkHistoryInline(ScopedChoicesMixin, admin.StackedInline):
    model = WorkHistoryEntry
    extra = 0


@admin.register(CareerProfile)
class CareerProfileAdmin(ScopedAdmin):
    list_display = ["client", "last_reviewed", "updated_at"]
    list_filter = ["client__program"]
    search_fields = ["client__record_number", "client__last_name"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    inlines = [WorkHistoryInline]


class PlanStepInline(ScopedChoicesMixin, admin.TabularInline):
    model = PlanStep
    extra = 0


@admin.register(EmploymentPlan)
class EmploymentPlanAdmin(ScopedAdmin):
    list_display = ["client", "start_date", "review_date", "is_current"]
    list_filter = ["is_current", "client__program"]
    search_fields = ["client__record_number", "client__last_name", "goal"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]
    inlines = [PlanStepInline]


@admin.register(BenefitsCounselingSession)
class BenefitsCounselingSessionAdmin(ScopedAdmin):
    list_display = ["session_date", "client", "counselor_name", "counselor_type", "written_plan_given"]
    list_filter = ["counselor_type", "written_plan_given", "client__program"]
    search_fields = ["client__record_number", "client__last_name", "counselor_name"]
    date_hierarchy = "session_date"
    list_select_related = ["client"]
    autocomplete_fields = ["client"]


@admin.register(EducationActivity)
class EducationActivityAdmin(ScopedAdmin):
    list_display = ["client", "institution", "program_of_study", "start_date", "end_date"]
    list_filter = ["client__program"]
    search_fields = ["client__record_number", "institution"]
    list_select_related = ["client"]
    autocomplete_fields = ["client"]


@admin.register(WorkHistoryEntry)
class WorkHistoryEntryAdmin(ScopedAdmin):
    list_display = ["job_title", "employer_name", "profile", "start_date", "end_date"]
    list_filter = ["profile__client__program"]
    search_fields = ["job_title", "employer_name", "profile__client__record_number"]
    list_select_related = ["profile__client"]


@admin.register(PlanStep)
class PlanStepAdmin(ScopedAdmin):
    list_display = ["description", "plan", "responsible", "target_date", "completed_on"]
    list_filter = ["responsible", "plan__client__program"]
    search_fields = ["description", "plan__client__record_number"]
    list_select_related = ["plan__client"]
