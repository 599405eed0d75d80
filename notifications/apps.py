from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self):
        from fidelity.events import review_event

        from . import reviews

        review_event.connect(reviews.on_review_event, dispatch_uid="notifications.review_event")
