"""Fixtures of the security tests: a specialist with a known password, and logging in through the real
login form (the lock-out only counts what comes through it)."""

import pytest

from programs.models import Role

from .. import factories as f


@pytest.fixture
def member(program_a):
    return f.make_user(Role.SPECIALIST, program=program_a, username="member", email="member@example.test")


@pytest.fixture
def post_login(client):
    def post(username, password, url="/login/", **extra):
        return client.post(url, {"username": username, "password": password}, **extra)

    return post


@pytest.fixture
def two_factor_required(settings):
    """The production requirement (the root conftest turns it off for every other test)."""
    settings.MFA_REQUIRED_ROLES = ("supervisor", "trainer", "admin")


@pytest.fixture
def supervisor_token(supervisor_a):
    from api.services import create_token

    return create_token(user=supervisor_a, name="sync")[1]


@pytest.fixture
def regional_admin(region):
    """A regional administrator allowed to change users (what the admin's user list needs)."""
    from django.contrib.auth.models import Permission

    user = f.make_user(Role.ADMIN, region=region, username="regional_admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return user


@pytest.fixture
def verified_login(client):
    """force_login plus a verified second factor (an authenticator device in the session)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user):
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.create(user=user, name="app", confirmed=True).persistent_id
        session.save()

    return login
