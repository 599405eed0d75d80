"""Helpers of the clients and caseload tests (fixtures are in conftest.py)."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent


def today():
    """The suite's pinned day (tests/conftest.py). A function, not a constant: conftest.py imports this
    module before the pinned clock starts."""
    return timezone.localdate()


def ago(n):
    return today() - datetime.timedelta(days=n)


def iso(day):
    return day.isoformat()


def audited(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).exists()


def form_data(form, **values):
    """What a browser would post back from `form` as shown (its initial values), with `values` changed."""
    data = dict.fromkeys(form.fields, "")
    data.update({k: v for k, v in form.initial.items() if v is not None and k in form.fields})
    for key, value in list(data.items()):
        if isinstance(value, datetime.date):
            data[key] = iso(value)
    data.update(values)
    return data
