from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from benchmarks import admin as benchmarks_admin
from benchmarks.models import BenchmarkSettings, BenefitsThresholds

from .access import administers_everything, manageable_users
from .admin_mixins import ReferenceDataAdmin, ScopedAdmin, ScopedChoicesMixin, ScopedInline
from .models import Agency, Membership, Program, Region, TreatmentTeam, User

# What only a superuser may grant: with any of these a regional administrator becomes a global one.
PRIVILEGE_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions"]
GLOBAL_ROLE_REFUSED = "Only a superuser grants a role over every region: choose a program or a region."


class MembershipForm(forms.ModelForm):
    """A membership always names a program or a region unless a superuser grants a global role."""

    actor = None  # set per request by the admin

    class Meta:
        model = Membership
        # is_active follows end_date (Membership.save): ending a membership = giving its last day.
        fields = ["user", "role", "program", "region", "start_date", "end_date", "fte"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a new membership starts today at full time (the model's defaults).
        for name in ("start_date", "fte"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_start_date(self):
        return self.cleaned_data.get("start_date") or timezone.localdate()

    def clean_fte(self):
        value = self.cleaned_data.get("fte")
        return Decimal("1.00") if value is None else value

    def clean(self):
        data = super().clean()
        if not data.get("program") and not data.get("region") and not administers_everything(self.actor):
            raise ValidationError(GLOBAL_ROLE_REFUSED)
        return data


def membership_form_for(request):
    return type("RequestMembershipForm", (MembershipForm,), {"actor": request.user})


class MembershipInline(ScopedInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["program", "region"]
    readonly_fields = ["is_active"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = membership_form_for(request)
        return super().get_formset(request, obj, **kwargs)


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    fieldsets = BaseUserAdmin.fieldsets + (("Contact", {"fields": ["phone"]}),)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not administers_everything(request.user):
            fields += PRIVILEGE_FIELDS
        return fields


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "code", "country"]
    search_fields = ["name", "code"]
    list_filter = ["country"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    region_path = "region"
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]


class TreatmentTeamInline(ScopedChoicesMixin, admin.TabularInline):
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
    # Global administrator roles (no program, no region) are reached by superusers only.
    region_path = "region"
    list_display = ["user", "role", "program", "region", "start_date", "end_date", "fte", "is_active"]
    list_filter = ["role", "is_active", "region", "program"]
    readonly_fields = ["is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "program__name"]
    list_select_related = ["user", "program", "region"]
    autocomplete_fields = ["user", "program", "region"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = membership_form_for(request)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_queryset(self, request):
        # Nor the memberships of people the administrator may not manage (staff, other regions).
        queryset = super().get_queryset(request)
        if administers_everything(request.user):
            return queryset
        return queryset.filter(user__in=manageable_users(User.objects.all(), request.user))


@admin.register(TreatmentTeam)
class TreatmentTeamAdmin(ScopedAdmin):
    list_display = ["name", "program"]
    list_filter = ["program"]
    search_fields = ["name"]


admin.site.register(
    BenchmarkSettings, type("BenchmarkSettingsAdmin", (ReferenceDataAdmin, benchmarks_admin.BenchmarkSettingsAdmin), {})
)
admin.site.register(
    BenefitsThresholds,
    type("BenefitsThresholdsAdmin", (ReferenceDataAdmin, benchmarks_admin.BenefitsThresholdsAdmin), {}),
)


# A group carries permissions: like the privilege fields, only superusers edit groups.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReferenceDataAdmin, BaseGroupAdmin):
    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and administers_everything(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and administers_everything(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and administers_everything(request.user)
