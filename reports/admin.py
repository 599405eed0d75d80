from django.contrib import admin

from .models import BenchmarkSettings, QuarterClose, QuarterlyReport


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


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "region", "year", "quarter", "version", "status", "finished_at"]
    list_filter = ["status", "year", "quarter", "region", "program"]
    readonly_fields = [f.name for f in QuarterlyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Snapshots never change after they are made.
        return False


@admin.register(QuarterClose)
class QuarterCloseAdmin(admin.ModelAdmin):
    """Which regions' quarters the scheduled close has run (read only: the idempotency record)."""

    list_display = ["__str__", "region", "year", "quarter", "rollup", "created_at"]
    list_filter = ["year", "quarter", "region"]
    readonly_fields = ["region", "year", "quarter", "rollup", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
