from django.urls import path

from . import employer_views, views

app_name = "jobs"

urlpatterns = [
    path("start/<int:client_pk>/", views.job_start_create, name="job_start_create"),
    path("<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("<int:pk>/end/", views.job_end, name="job_end"),
    path("<int:pk>/delete/", views.job_delete, name="job_delete"),
    path("<int:pk>/support/", views.support_create, name="support_create"),
    path("supports/<int:pk>/edit/", views.support_edit, name="support_edit"),
    path("supports/<int:pk>/delete/", views.support_delete, name="support_delete"),
    path("employers/", employer_views.employer_list, name="employer_list"),
    path("employers/new/", employer_views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", employer_views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employer_views.employer_edit, name="employer_edit"),
    path("employer-contacts/new/", views.employer_contact_create, name="employer_contact_create"),
    path("employer-contacts/<int:pk>/edit/", views.employer_contact_edit, name="employer_contact_edit"),
    path("employer-contacts/<int:pk>/delete/", views.employer_contact_delete, name="employer_contact_delete"),
    path("development/", views.job_development, name="job_development"),
]
