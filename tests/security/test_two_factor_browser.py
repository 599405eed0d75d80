"""Two-factor authentication in the browser: a supervisor enrols (reads the key off the page, as an
authenticator app would scan it), keeps the recovery codes, logs out, and logs in again with a code."""

import datetime
from base64 import b32decode

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from programs.models import Role

from .. import factories as f
from ..browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("two_factor_required"),
]


def app_code(secret):
    """What an authenticator app shows for `secret` (base32, grouped by four) now."""
    return f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"


def test_enrol_then_log_in_with_a_code(live_server, phone_page, program_a, time_machine):
    f.make_user(Role.SUPERVISOR, program=program_a, username="mfa_super")
    violations = []
    phone_page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(phone_page, live_server, "mfa_super", f.PASSWORD)
    assert "/mfa/setup/" in phone_page.url
    assert phone_page.locator("img[src^='data:image/svg+xml']").is_visible()  # the QR code
    secret = phone_page.get_by_test_id("mfa-secret").inner_text()
    phone_page.fill("input[name=code]", app_code(secret))
    phone_page.get_by_role("button", name="Turn on").click()
    codes = phone_page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    phone_page.get_by_role("link", name="I have saved them: continue").click()
    phone_page.goto(f"{live_server.url}/clients/")
    assert phone_page.url.endswith("/clients/")
    # A new session on the same phone (log-out itself is tested in tests/field): the code is asked again.
    phone_page.context.clear_cookies(name="sessionid")

    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=31), tick=True)  # the next code
    login(phone_page, live_server, "mfa_super", f.PASSWORD)
    assert "/mfa/verify/" in phone_page.url
    phone_page.fill("input[name=code]", "000000")
    phone_page.get_by_role("button", name="Verify").click()
    assert phone_page.get_by_text("That code is not right").is_visible()
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=3), tick=True)  # the throttle's wait
    phone_page.fill("input[name=code]", app_code(secret))
    phone_page.get_by_role("button", name="Verify").click()
    phone_page.wait_for_load_state("networkidle")
    assert "/mfa/" not in phone_page.url
    phone_page.goto(f"{live_server.url}/clients/")
    assert phone_page.url.endswith("/clients/")
    assert violations == []
