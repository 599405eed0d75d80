"""Helpers of the clients and caseload tests (fixtures are in conftest.py)."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent

TODAY = timezone.localdate()  # the suite's pinned day (tests/conftest.py)


def ago(n):
    return TODAY - datetime.timedelta(days=n)


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
