from importlib import import_module

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        # Register the quarterly tasks with the Celery app in every process (web, worker, commands):
        # reports.quarterly.services sends them by name through celery.current_app.
        import_module("reports.quarterly.tasks")
