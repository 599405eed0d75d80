"""My caseload and the client record. Mounted with clients.urls under the one "clients" namespace
(ips_site.urls), so every page of a client is reversed as "clients:...", whichever app serves it."""

from django.urls import path

from . import offline, views

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/timeline/", views.client_timeline, name="client_timeline"),
    path("<int:pk>/contacts/quick/", views.quick_contact, name="quick_contact"),
    path("offline-caseload/", offline.offline_caseload, name="offline_caseload"),
]
