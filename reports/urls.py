from reports.dashboard.urls import urlpatterns as dashboard_patterns
from reports.quarterly.urls import urlpatterns as quarterly_patterns
from reports.submission.urls import urlpatterns as submission_patterns

app_name = "reports"

# Dashboards and quarterly reports keep their routes in their own packages.
urlpatterns = dashboard_patterns + quarterly_patterns + submission_patterns
