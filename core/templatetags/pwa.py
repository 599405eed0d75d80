from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """The idle timeout, for the page's "you will be signed out" warning (static/js/session.js)."""
    return settings.SESSION_COOKIE_AGE
