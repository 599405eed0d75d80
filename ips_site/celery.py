import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

app = Celery("ips_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The quarterly tasks live in a sub-package of reports, which autodiscovery does not look into.
app.autodiscover_tasks(["reports.quarterly"])

# Request ids from the web request travel with the task (signal handlers, connected on import).
from . import observability  # noqa: E402, F401
