"""The client record's forms. Mounted with caseload.urls under the one "clients" namespace (ips_site.urls)."""

from django.urls import path

from . import prints, views

urlpatterns = [
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/enrollments/new/", views.reenroll, name="reenroll"),
    path("<int:pk>/enrollments/<int:enrollment_pk>/enroll/", views.enroll, name="enroll"),
    path("<int:pk>/enrollments/<int:enrollment_pk>/close/", views.close_enrollment, name="close_enrollment"),
    path("<int:pk>/career-profile/", views.career_profile_edit, name="career_profile_edit"),
    path("<int:pk>/work-history/new/", views.work_history_create, name="work_history_create"),
    path("<int:pk>/work-history/<int:entry_pk>/", views.work_history_edit, name="work_history_edit"),
    path("<int:pk>/work-history/<int:entry_pk>/delete/", views.work_history_delete, name="work_history_delete"),
    path("<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("<int:pk>/plans/<int:plan_pk>/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/plans/<int:plan_pk>/steps/new/", views.step_create, name="step_create"),
    path("<int:pk>/steps/<int:step_pk>/", views.step_edit, name="step_edit"),
    path("<int:pk>/steps/<int:step_pk>/done/", views.step_toggle, name="step_toggle"),
    path("<int:pk>/steps/<int:step_pk>/delete/", views.step_delete, name="step_delete"),
    path("<int:pk>/benefits/new/", views.benefits_create, name="benefits_create"),
    path("<int:pk>/benefits/<int:session_pk>/", views.benefits_edit, name="benefits_edit"),
    path("<int:pk>/benefits/<int:session_pk>/delete/", views.benefits_delete, name="benefits_delete"),
    # Prints for the client (clients/prints.py): audited as disclosures.
    path("<int:pk>/print/plan/", prints.plan_page, name="print_plan"),
    path("<int:pk>/print/plan.pdf", prints.plan_pdf, name="print_plan_pdf"),
    path("<int:pk>/print/career-profile/", prints.profile_page, name="print_profile"),
    path("<int:pk>/print/career-profile.pdf", prints.profile_pdf, name="print_profile_pdf"),
]
