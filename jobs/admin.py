from django.contrib import admin

from programs.admin_mixins import ScopedAdmin, ScopedChoicesMixin

from .models import Employer, EmployerContact, FollowAlongSupport, JobStart


@admin.register(Employer)
class EmployerAdmin(ScopedAdmin):
    list_display = ["name", "program", "industry", "contact_person", "phone"]
    list_filter = ["program", "industry"]
    search_fields = ["name", "normalized_name", "contact_person"]
    list_select_related = ["program"]


@admin.register(EmployerContact)
class EmployerContactAdmin(ScopedAdmin):
    list_display = ["contact_date", "employer", "specialist", "face_to_face", "client_specific", "purpose"]
    list_filter = ["face_to_face", "client_specific", "purpose", "made_by", "employer__program"]
    search_fields = ["employer__name", "contact_person", "specialist__username"]
    date_hierarchy = "contact_date"
    list_select_related = ["employer", "specialist"]
    autocomplete_fields = ["employer", "clients"]


class FollowAlongInline(ScopedChoicesMixin, admin.TabularInline):
    model = FollowAlongSupport
    extra = 0


@admin.register(JobStart)
class JobStartAdmin(ScopedAdmin):
    list_display = [
        "client",
        "job_title",
        "employer",
        "occupation_group",
        "start_date",
        "end_date",
        "hours_per_week",
        "hourly_wage",
        "is_competitive",
    ]
    list_filter = ["is_competitive", "job_type", "occupation_group", "end_type", "client__program"]
    search_fields = ["job_title", "employer__name", "client__record_number", "client__last_name"]
    date_hierarchy = "start_date"
    list_select_related = ["client", "employer"]
    autocomplete_fields = ["client", "employer"]
    inlines = [FollowAlongInline]


@admin.register(FollowAlongSupport)
class FollowAlongSupportAdmin(ScopedAdmin):
    list_display = ["support_date", "job", "provider", "staff", "minutes"]
    list_filter = ["provider", "job__client__program"]
    search_fields = ["job__job_title", "job__client__record_number", "description"]
    list_select_related = ["job__client", "job__employer", "staff"]
    autocomplete_fields = ["job"]
