from django.contrib import admin

from .models import AuditEvent, AuditSubject


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_id", "program_id", "ip_address", "path"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "path"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Only superusers read the whole trail.
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.none()


@admin.register(AuditSubject)
class AuditSubjectAdmin(admin.ModelAdmin):
    """The clients each list, export or report entry showed: read-only, superusers only."""

    list_display = ["event", "client_id", "program_id"]
    search_fields = ["client_id"]
    readonly_fields = [f.name for f in AuditSubject._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("event")
        return qs if request.user.is_superuser else qs.none()
