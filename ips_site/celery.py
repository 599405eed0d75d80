import os

from celery import Celery
from celery.signals import beat_init, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

app = Celery("ips_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The quarterly tasks live in a sub-package of reports, which autodiscovery does not look into.
app.autodiscover_tasks(["reports.quarterly"])

WORKER_APPLICATION_NAME = "ips-worker"


@celeryd_init.connect
@beat_init.connect
def name_database_connections(**kwargs):
    """The worker and beat (and the worker's pool children, forked after this) name their PostgreSQL
    connections "ips-worker" in pg_stat_activity, unless DB_APPLICATION_NAME says otherwise."""
    from django.conf import settings
    from django.db import connections

    name = settings.DB_APPLICATION_NAME or WORKER_APPLICATION_NAME
    for connection in connections.all(initialized_only=True):
        connection.close()  # reopened with the new name
    for alias, params in settings.DATABASES.items():
        if params["ENGINE"] == "django.db.backends.postgresql":
            params.setdefault("OPTIONS", {})["application_name"] = name
            connections[alias].settings_dict.setdefault("OPTIONS", {})["application_name"] = name


# Request ids from the web request travel with the task (signal handlers, connected on import).
from . import observability  # noqa: E402, F401
