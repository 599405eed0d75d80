"""Sessions end after 15 idle minutes and 12 hours after log-in however active; log-out, deactivation and a
password change end every session of that user."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/password/"  # any signed-in page: 200 when signed in, a redirect to the login otherwise


@pytest.fixture(autouse=True)
def renew_once_a_minute(settings):
    settings.SESSION_RENEW_SECONDS = 60  # the production value (the root conftest raises it)


def signed_in(client):
    response = client.get(PAGE)
    return response.status_code == 200


def later(time_machine, minutes):
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=minutes), tick=True)


def test_the_timeouts_are_15_idle_minutes_and_12_hours():
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_MAX_AGE == 12 * 60 * 60


def test_requests_renew_the_session_at_most_once_a_minute(client, member, time_machine):
    client.force_login(member)
    client.get(PAGE)
    first = Session.objects.get().expire_date
    client.get(PAGE)  # within the minute: no session write
    assert Session.objects.get().expire_date == first
    later(time_machine, 2)
    client.get(PAGE)  # past the minute: the idle expiry moves on
    assert Session.objects.get().expire_date > first


def test_an_idle_session_ends_after_15_minutes(client, member, time_machine):
    client.force_login(member)
    later(time_machine, 14)
    assert signed_in(client)  # and the request renews the 15 minutes
    later(time_machine, 14)
    assert signed_in(client)
    later(time_machine, 16)
    assert not signed_in(client)


def test_an_active_session_ends_12_hours_after_log_in(client, member, time_machine):
    client.force_login(member)
    for _ in range(12 * 6 - 1):  # a request every 10 minutes for just under 12 hours
        later(time_machine, 10)
        assert signed_in(client)
    later(time_machine, 11)
    assert not signed_in(client)


def test_logging_out_ends_the_users_sessions_on_every_device(member, specialist_a):
    phone, desk, colleague = Client(), Client(), Client()
    phone.force_login(member)
    desk.force_login(member)
    colleague.force_login(specialist_a)
    assert desk.post("/logout/").status_code == 302
    assert not signed_in(phone)
    assert not signed_in(desk)
    assert signed_in(colleague)  # someone else's session is untouched


def test_deactivating_a_user_ends_their_sessions(member):
    phone = Client()
    phone.force_login(member)
    assert Session.objects.count() == 1
    member.is_active = False
    member.save()
    assert Session.objects.count() == 0
    assert not signed_in(phone)


def test_a_password_reset_signs_out_the_other_devices(member):
    phone = Client()
    phone.force_login(member)
    member.set_password("another long pass phrase 9")
    member.save()
    assert not signed_in(phone)


def test_logging_in_through_the_form_starts_the_lifetime(client, member, time_machine):
    assert client.post("/login/", {"username": "member", "password": PASSWORD}).status_code == 302
    for _ in range(12 * 6 - 1):
        later(time_machine, 10)
        assert signed_in(client)
    later(time_machine, 11)
    assert not signed_in(client)
