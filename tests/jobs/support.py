"""Helpers of the jobs tests (fixtures are in conftest.py)."""

import datetime

from django.contrib.messages import get_messages

from core.locking import version_of

from .. import factories as f

DAY = datetime.timedelta(days=1)


def enrolled_client(program, today, specialist=None, **names):
    client = f.ClientFactory(program=program, **names)
    f.EnrollmentFactory(
        client=client, referral_date=today - 90 * DAY, enrollment_date=today - 80 * DAY, specialist=specialist
    )
    return client


def resolve(overrides, **placeholders):
    """Replace placeholder values of parametrized overrides (dates relative to today, other ids)."""
    return {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}


def messages_of(response):
    """The messages queued for the next page (without rendering the client's page)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def contact_data(contact, **overrides):
    """The edit form of a logged employer contact as a browser posts it back."""
    data = {
        "contact_date": contact.contact_date.isoformat(),
        "employer": str(contact.employer_id),
        "employer_name": "",
        "face_to_face": "on" if contact.face_to_face else "",
        "purpose": contact.purpose,
        "contact_person": contact.contact_person,
        "client_specific": "on" if contact.client_specific else "",
        "clients": [str(pk) for pk in contact.clients.values_list("pk", flat=True)],
        "made_by": contact.made_by,
        "outcome": contact.outcome,
        "next_step": contact.next_step,
        "version": version_of(contact),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def support_data(support, **overrides):
    data = {
        "support_date": support.support_date.isoformat(),
        "provider": support.provider,
        "staff": str(support.staff_id or ""),
        "description": support.description,
        "minutes": str(support.minutes or ""),
        "version": version_of(support),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}
