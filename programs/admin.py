from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q

from .access import Capability, programs_for, regions_for
from .admin_mixins import ScopedAdmin
from .models import Agency, Membership, Program, Region, TreatmentTeam, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["program", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    fieldsets = BaseUserAdmin.fieldsets + (("Contact", {"fields": ["phone"]}),)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "code", "country"]
    search_fields = ["name", "code"]
    list_filter = ["country"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=regions_for(request.user, Capability.ADMINISTER))


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]

    def get_queryset(self, request):
        regions = regions_for(request.user, Capability.ADMINISTER)
        return super().get_queryset(request).filter(region__in=regions)


class TreatmentTeamInline(admin.TabularInline):
    model = TreatmentTeam
    extra = 0


@admin.register(Program)
class ProgramAdmin(ScopedAdmin):
    list_display = ["name", "code", "agency", "region_name", "started_on", "is_active"]
    list_filter = ["is_active", "agency__region", "agency"]
    search_fields = ["name", "code", "agency__name"]
    list_select_related = ["agency__region"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [TreatmentTeamInline]

    @admin.display(description="Region", ordering="agency__region__name")
    def region_name(self, obj):
        return obj.agency.region.name


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "role", "program", "region", "is_active"]
    list_filter = ["role", "is_active", "region", "program"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "program__name"]
    list_select_related = ["user", "program", "region"]
    autocomplete_fields = ["user", "program", "region"]

    def get_queryset(self, request):
        user = request.user
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(program__in=programs_for(user, Capability.ADMINISTER))
                | Q(region__in=regions_for(user, Capability.ADMINISTER))
                | Q(program__isnull=True, region__isnull=True, user=user)
            )
        )


@admin.register(TreatmentTeam)
class TreatmentTeamAdmin(ScopedAdmin):
    list_display = ["name", "program"]
    list_filter = ["program"]
    search_fields = ["name"]
