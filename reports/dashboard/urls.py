from django.urls import path

from . import views

# Included by reports/urls.py (app_name "reports", mounted at /reports/).
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/clients/", views.drilldown, name="drilldown"),
    path("dashboard/export/<slug:dataset>.<slug:fmt>", views.dashboard_export, name="dashboard_export"),
    path("region/", views.region, name="region"),
    path("region/export.<slug:fmt>", views.region_export, name="region_export"),
]
