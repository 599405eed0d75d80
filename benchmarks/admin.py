from django.contrib import admin

from .models import BenchmarkSettings, BenefitsThresholds


@admin.register(BenchmarkSettings)
class BenchmarkSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "quarterly_rate_minimal",
        "quarterly_rate_average",
        "quarterly_rate_excellent",
        "cumulative_rate",
        "employer_contacts_per_week",
        "caseload_max",
        "updated_at",
    ]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request):
        # One row only: BenchmarkSettings.current() creates it with the defaults.
        return not BenchmarkSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BenefitsThresholds)
class BenefitsThresholdsAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "sga_monthly_non_blind",
        "sga_monthly_blind",
        "trial_work_month",
        "ssi_federal_benefit_rate",
    ]
