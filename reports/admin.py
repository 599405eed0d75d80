from django.contrib import admin

from programs.admin_mixins import ScopedAdmin

from .models import QuarterClose, QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ScopedAdmin):
    # A program's report through its program, a regional roll-up through its region.
    region_path = "region"
    list_display = ["__str__", "program", "region", "year", "quarter", "version", "status", "finished_at"]
    list_filter = ["status", "year", "quarter", "region", "program"]
    readonly_fields = [f.name for f in QuarterlyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Snapshots never change after they are made.
        return False


@admin.register(QuarterClose)
class QuarterCloseAdmin(ScopedAdmin):
    """Which regions' quarters the scheduled close has run (read only: the idempotency record)."""

    region_path = "region"
    list_display = ["__str__", "region", "year", "quarter", "rollup", "created_at"]
    list_filter = ["year", "quarter", "region"]
    readonly_fields = ["region", "year", "quarter", "rollup", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
