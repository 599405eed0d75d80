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
