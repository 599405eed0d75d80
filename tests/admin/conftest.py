import datetime

import pytest
from django.contrib.auth.models import Permission

from programs.models import Role
from tests import factories as f

ADMIN_APPS = ["programs", "clients", "jobs", "fidelity", "reports", "benchmarks", "audit", "auth"]


@pytest.fixture
def regional_admin(region):
    """A regional administrator with every model permission the admin offers (what they need to use it)."""
    user = f.make_user(Role.ADMIN, region=region, username="regional_admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    return user


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def form_data():
    return _form_data


def _form_data(response):
    """The POST body a browser would send back for an admin change page: every form and inline value."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, datetime.datetime):  # the admin's split date and time widget
                data[f"{key}_0"], data[f"{key}_1"] = value.date().isoformat(), value.time().isoformat()
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for form in formset.forms:
            add(form)
    return data
