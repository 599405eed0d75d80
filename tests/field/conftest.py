"""Fixtures of the field-work tests (phones on poor signal): a program with a specialist, an enrolled
client on their caseload with an employer and a job."""

import datetime

import pytest
from django.utils import timezone

from programs.models import Role

from .. import factories as f
from ..browser import PHONE, new_context


@pytest.fixture
def field_program():
    return f.ProgramFactory(name="Harbor IPS Team")


@pytest.fixture
def field_specialist(field_program):
    return f.make_user(Role.SPECIALIST, program=field_program, username="field_spec", first_name="Dana")


@pytest.fixture
def field_client(field_program, field_specialist):
    today = timezone.localdate()
    client = f.ClientFactory(program=field_program, first_name="Avery", last_name="Brookfield")
    f.EnrollmentFactory(
        client=client,
        referral_date=today - datetime.timedelta(days=70),
        enrollment_date=today - datetime.timedelta(days=60),
        specialist=field_specialist,
    )
    return client


@pytest.fixture
def field_employer(field_program):
    return f.EmployerFactory(program=field_program, name="Harbor Grill")


@pytest.fixture
def field_job(field_client, field_employer):
    return f.JobStartFactory(
        client=field_client,
        employer=field_employer,
        job_title="Line cook",
        start_date=timezone.localdate() - datetime.timedelta(days=10),
    )


@pytest.fixture
def signed_in(client, field_specialist):
    client.force_login(field_specialist)
    return client


@pytest.fixture
def phone(browser):
    """A phone-sized page (390×844, touch) in a context of its own, clock at the server's pinned now."""
    context = new_context(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
