"""Login lock-out (django-axes): repeated wrong passwords lock the username and the address, on the site's
login and the admin's; the cool-off or an administrator unlocks it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def _fail(post_login, username, times, **extra):
    for _ in range(times):
        response = post_login(username, "wrong-password-000", **extra)
    return response


def test_right_password_refused_after_repeated_failures(member, post_login):
    assert LIMIT <= 10
    response = _fail(post_login, "member", LIMIT)
    assert response.status_code == 429
    response = post_login("member", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_login_works_again_after_the_cool_off(member, post_login, time_machine):
    _fail(post_login, "member", LIMIT)
    assert post_login("member", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    time_machine.move_to(later, tick=True)
    response = post_login("member", PASSWORD)
    assert response.status_code == 302
    assert response.client.session["_auth_user_id"] == str(member.pk)


def test_admin_login_is_locked_too(admin_user, post_login):
    _fail(post_login, "global_admin", LIMIT, url="/admin/login/")
    response = post_login("global_admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_one_address_is_locked_whatever_username_it_tries(member, post_login):
    # Spraying one wrong password over many usernames from one address locks that address.
    for n in range(LIMIT):
        post_login(f"someone{n}", "wrong-password-000", REMOTE_ADDR="203.0.113.9")
    assert post_login("member", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    # The user is not locked from another address.
    assert post_login("member", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_an_administrator_unlocks_the_user(member, post_login):
    _fail(post_login, "member", LIMIT)
    assert AccessAttempt.objects.filter(username="member").exists()  # what the admin lists and deletes
    call_command("axes_reset_username", "member")
    call_command("axes_reset_ip", "127.0.0.1")
    assert post_login("member", PASSWORD).status_code == 302


def test_login_page_keeps_the_plain_message_below_the_limit(member, post_login):
    response = post_login("member", "wrong-password-000")
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(member, post_login, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(LIMIT):
        post_login(f"someone{n}", "wrong-password-000", HTTP_X_FORWARDED_FOR="203.0.113.9", **via_proxy)
    assert post_login("member", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **via_proxy).status_code == 429
    # Another user behind the same proxy is not locked out by the first one's failures.
    assert post_login("member", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **via_proxy).status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(member, post_login):
    for n in range(LIMIT):
        post_login(f"someone{n}", "wrong-password-000", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
    assert post_login("member", PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429
