from django.contrib import admin

# Registered by programs.admin, which adds the access layer's rules for data every region shares
# (only a superuser or an administrator of every region changes it) and the audit log: both live
# above this layer.
from .models import BAND_ANCHORS, SUGGESTION_HINTS, BenchmarkSettings

# Good fidelity itself is the IPS-25 scale's "good" level row (fidelity admin, Fidelity levels).
FIDELITY_FIELDS = ["fidelity_interval_new_months", "fidelity_interval_good_months"]
# One row per IPS-25 item: its cut-offs for anchors 5, 4, 3 and 2.
BAND_ROWS = [tuple(f"ips25_{hint}_{anchor}" for anchor in BAND_ANCHORS) for hint in SUGGESTION_HINTS]


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
    fieldsets = [
        (
            None,
            {
                "fields": [
                    name
                    for name in (f.name for f in BenchmarkSettings._meta.concrete_fields)
                    if name != "id" and name not in FIDELITY_FIELDS and not name.startswith("ips25_")
                ]
            },
        ),
        ("Fidelity reviews", {"fields": FIDELITY_FIELDS}),
        (
            "IPS-25 suggestion bands",
            {
                "fields": BAND_ROWS,
                "description": "The program figure that points a reviewer to each anchor (5, 4, 3, 2) of the "
                "IPS-25 items records can inform; past the last cut-off the figure points to anchor 1. "
                "A suggestion never fills in a score.",
            },
        ),
    ]

    def has_add_permission(self, request):
        # One row only: BenchmarkSettings.current() creates it with the defaults.
        return not BenchmarkSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class BenefitsThresholdsAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "sga_monthly_non_blind",
        "sga_monthly_blind",
        "trial_work_month",
        "ssi_federal_benefit_rate",
    ]
