"""Passwords: 12 characters and the common-password check, Argon2 first, the user's own change page
(which signs out their other devices) and a reset by e-mail."""

import importlib
import re

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "long enough river bend 42"


@pytest.mark.parametrize("weak", ["Riverbend1", "short-pw-11", "password1234"])
def test_short_and_common_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_password_is_accepted():
    validate_password(NEW)


def test_argon2_is_the_first_hasher():
    # The tests themselves run on a fast hasher (tests/conftest.py): read the production setting.
    production = importlib.import_module("ips_site.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    assert hasher.verify(NEW, hasher.encode(NEW, hasher.salt()))  # argon2-cffi is installed


def test_the_navigation_links_to_the_password_page(client, member):
    client.force_login(member)
    assert 'href="/password/"' in client.get("/", follow=True).content.decode()


def test_a_user_changes_their_password_and_their_other_devices_are_signed_out(member):
    phone, desk = Client(), Client()
    phone.force_login(member)
    desk.force_login(member)
    response = desk.post("/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/password/done/"
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert desk.get("/password/").status_code == 200  # this device stays signed in
    assert phone.get("/password/")["Location"].startswith("/login/")


def test_the_change_page_refuses_a_weak_password(client, member):
    client.force_login(member)
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Riverbend1", "new_password2": "Riverbend1"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_forgotten_password_is_reset_by_email(client, member):
    assert 'href="/password/reset/"' in client.get("/login/").content.decode()
    response = client.post("/password/reset/", {"email": "member@example.test"})
    assert response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["member@example.test"]
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    set_page = client.get(link, follow=True)
    assert set_page.status_code == 200 and "Set the password" in set_page.content.decode()
    done = client.post(set_page.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/password/reset/complete/"
    member.refresh_from_db()
    assert member.check_password(NEW)
    # The link works once.
    assert "has been used or has expired" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, member):
    response = client.post("/password/reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []
