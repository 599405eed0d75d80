from django.contrib import admin
from django.urls import include, path

from caseload.search import search_view
from caseload.urls import urlpatterns as caseload_patterns
from clients.urls import urlpatterns as clients_patterns
from core import pwa
from programs import views as program_views

from . import health, trails

admin.site.site_header = "IPS Case Manager administration"
admin.site.site_title = "IPS Case Manager"

urlpatterns = [
    path("", program_views.home, name="home"),
    path("", include("accounts.urls")),  # log-in, log-out, the user's own password
    path("programs/", include("programs.urls")),
    # One namespace for a client's pages: the caseload and record (caseload app) and their forms (clients app).
    path("clients/", include((caseload_patterns + clients_patterns, "clients"))),
    path("clients/<int:pk>/access-history/", trails.client_trail, name="client_trail"),
    path("search/", search_view, name="search"),  # POST only: the name typed stays out of URLs
    path("audit/disclosures/", trails.disclosures, name="disclosures"),
    path("jobs/", include("jobs.urls")),
    path("fidelity/", include("fidelity.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("imports/", include("imports.urls")),
    # Liveness (healthz; health/ is the older name) and readiness (readyz): ips_site/health.py.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("health/", health.health, name="health"),
    path("admin/", admin.site.urls),
    # The installable app (core/pwa.py): the worker at the root so that its scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
