from django.urls import path

from . import views

# Included by reports/urls.py (app_name "reports", mounted at /reports/).
urlpatterns = [
    path("quarterly/", views.quarterly_list, name="quarterly_list"),
    path("quarterly/request/", views.quarterly_request, name="quarterly_request"),
    path("quarterly/<int:pk>/", views.quarterly_detail, name="quarterly_detail"),
    path("quarterly/<int:pk>/status/", views.quarterly_status, name="quarterly_status"),
    path("quarterly/<int:pk>/retry/", views.quarterly_retry, name="quarterly_retry"),
    path("quarterly/<int:pk>/export.<slug:fmt>", views.quarterly_export, name="quarterly_export"),
]
