"""Django admin that obeys the access layer and writes the audit log.

A superuser sees everything; a regional administrator (is_staff with an administrator membership
for a region) sees and picks only that region's records, and never reaches staff, superusers or
people who also work elsewhere (`programs.access.scope_administered`, `manageable_users`).
Every addition, change, deletion and opened record is an audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ValidationError

from audit.models import Action
from audit.services import client_lookup, clients_of, record, record_shown

from .access import (
    Capability,
    colleagues_administered,
    is_global_administrator,
    manageable_users,
    record_refusal,
    scope_administered,
)
from .models import Membership, User

AUTOCOMPLETE_PAGE = 20  # django.contrib.admin.views.autocomplete.AutocompleteJsonView.paginate_by


def _change_summary(message: Any) -> Any:
    # Django's change message names the fields (and inlines) changed, never their values.
    return message if isinstance(message, list | str) else str(message)


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every record opened, added, changed or deleted in the admin."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original") if hasattr(response, "context_data") else None
            if obj is not None:
                record(request, Action.VIEW, obj, detail={"via": "admin"})
        return response

    def changelist_view(self, request, extra_context=None):
        """A list or search page records the rows it showed (and their clients): one entry."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if response.status_code == 200 else None
        if changelist is not None:
            ids = [row.pk for row in changelist.result_list]
            detail = {"via": "admin", "search": changelist.query} if changelist.query else {"via": "admin"}
            record_shown(request, self.model._meta.label_lower, ids, clients=clients_of(self.model, ids), detail=detail)
        return response

    def get_search_results(self, request, queryset, search_term):
        """The admin's autocomplete (a foreign key's search box) records the first page it answers."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and client_lookup(self.model) is not None:
            ids = list(queryset.values_list("pk", flat=True)[:AUTOCOMPLETE_PAGE])
            record_shown(
                request,
                self.model._meta.label_lower,
                ids,
                clients=clients_of(self.model, ids),
                detail={"via": "admin_autocomplete", "search": search_term[:80]},
            )
        return queryset, may_have_duplicates

    def log_addition(self, request, obj, message):
        record(request, Action.CREATE, obj, detail={"via": "admin", "changes": _change_summary(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(request, Action.UPDATE, obj, detail={"via": "admin", "changes": _change_summary(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(request, Action.DELETE, obj, detail={"via": "admin", "repr": str(obj)[:200]})
        return super().log_deletions(request, queryset)


def scoped_choices(queryset, request, *, editing=None):
    """The records a foreign key of the admin may point at, through the access layer."""
    if queryset.model is User:
        # Memberships are given only to people the administrator may manage; other records
        # (a specialist, a reviewer) pick among the members of the administered programs.
        if editing is Membership:
            return manageable_users(queryset, request.user)
        return colleagues_administered(queryset, request.user)
    return scope_administered(queryset, request.user)


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter over a related model that offers only what the user administers (the stock
    filter lists every program, region and user of the database)."""

    def field_choices(self, field, request, model_admin):
        related = scoped_choices(field.related_model._default_manager.all(), request)
        return [(obj.pk, str(obj)) for obj in related]


def scoped_list_filter(model, list_filter):
    out = []
    for entry in list_filter:
        if isinstance(entry, str):
            last = get_fields_from_path(model, entry)[-1]
            if last.is_relation:
                entry = (entry, ScopedRelatedFilter)
        out.append(entry)
    return out


class ScopedChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, request, editing=self.model)  # type: ignore[attr-defined]
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, request, editing=self.model)  # type: ignore[attr-defined]
        return field


class ScopedAdmin(ScopedChoicesMixin, AuditedAdmin):
    """An admin whose rows and pick lists are limited to what the user administers.

    `program_path`/`region_path` override the model's path (a regional report has only a region)."""

    capability = Capability.ADMINISTER
    program_path: str | None = None
    region_path: str | None = None

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # out of scope or missing: audit the refusal if the record exists
            field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
            try:
                value = field.to_python(object_id)
            except (ValidationError, ValueError):
                return None
            record_refusal(self.model._default_manager.filter(**{field.name: value}), request.user, self.capability)
        return obj

    def get_list_filter(self, request):
        return scoped_list_filter(self.model, super().get_list_filter(request))

    def get_queryset(self, request):
        return scope_administered(
            super().get_queryset(request),
            request.user,
            program_path=self.program_path,
            region_path=self.region_path,
            capability=self.capability,
        )


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    def get_queryset(self, request):
        return scope_administered(super().get_queryset(request), request.user)


class ReferenceDataAdmin(AuditedAdmin):
    """Data every region shares (benchmarks, the fidelity scale): read by any administrator with
    the permission, changed only by a superuser or an administrator of every region."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and is_global_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_global_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_global_administrator(request.user)
