"""Django admin that obeys the access layer and writes the audit log.

A superuser sees everything; a regional administrator (is_staff with an administrator
membership for a region) sees and picks only that region's records.
"""

from django.contrib import admin

from audit.models import Action
from audit.services import record

from .access import Capability, scope


class ScopedAdmin(admin.ModelAdmin):
    capability = Capability.ADMINISTER

    def _scoped(self, queryset, request):
        if request.user.is_superuser or not hasattr(queryset.model, "program_path"):
            return queryset
        return scope(queryset, request.user, self.capability)

    def get_queryset(self, request):
        return self._scoped(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = self._scoped(field.queryset, request)
        return field

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original") if hasattr(response, "context_data") else None
            if obj is not None:
                record(request, Action.VIEW, obj, detail={"via": "admin"})
        return response

    def log_addition(self, request, obj, message):
        record(request, Action.CREATE, obj, detail={"via": "admin"})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(request, Action.UPDATE, obj, detail={"via": "admin"})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(request, Action.DELETE, obj, detail={"via": "admin"})
        return super().log_deletions(request, queryset)
