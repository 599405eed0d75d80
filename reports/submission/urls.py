from django.urls import path

from . import views

# Included by reports/urls.py (app_name "reports", mounted at /reports/).
urlpatterns = [
    path(
        "submission/program/<slug:code>/<slug:quarter>/<slug:variant>.<slug:fmt>",
        views.program_submission,
        name="submission_program",
    ),
    path(
        "submission/region/<slug:code>/<slug:quarter>/<slug:variant>.<slug:fmt>",
        views.region_submission,
        name="submission_region",
    ),
]
