from .urls_dashboards import urlpatterns as dashboard_patterns
from .urls_quarterly import urlpatterns as quarterly_patterns

app_name = "reports"

# Dashboards and quarterly reports keep their routes in their own modules.
urlpatterns = dashboard_patterns + quarterly_patterns
