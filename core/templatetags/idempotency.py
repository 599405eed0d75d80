from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.idempotency import FIELD, MAX_LENGTH, new_key

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_key(context: dict[str, Any]) -> SafeString:
    """The hidden submission key of a create form: a new one per render, the submitted one when the
    form comes back with errors (that attempt saved nothing, so the key is still unused)."""
    request = context.get("request")
    posted = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    key = posted if posted and len(posted) <= MAX_LENGTH else new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key)
