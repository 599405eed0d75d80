from reports.dashboard.urls import urlpatterns as dashboard_patterns
from reports.quarterly.urls import urlpatterns as quarterly_patterns

app_name = "reports"

# Dashboards and quarterly reports keep their routes in their own packages.
urlpatterns = dashboard_patterns + quarterly_patterns
