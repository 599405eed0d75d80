"""Two-factor authentication (accounts/mfa.py): required for supervisors, trainers and administrators,
enrolment with a QR code and recovery codes, a code after every password log-in (the admin's too),
throttled wrong codes, turning it off with the password or by an administrator; all audited."""

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, AuditEvent

from ..factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def enrol(client):
    """Enrols the signed-in user through the pages; returns the recovery codes."""
    page = client.get("/mfa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    response = client.post("/mfa/setup/", {"code": code_for(device), "next": "/clients/"})
    assert response.status_code == 200
    return response.context["codes"]


def next_window(time_machine):
    # A TOTP code is accepted once: the next one comes 30 s later.
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=31), tick=True)


def events(detail):
    return AuditEvent.objects.filter(detail__two_factor=detail)


def test_a_supervisor_is_sent_to_enrolment_after_the_password(client, supervisor_a, post_login):
    assert post_login("super_a", PASSWORD).status_code == 302
    response = client.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/mfa/verify/?next=%2Fclients%2F"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/mfa/setup/")


def test_a_specialist_without_it_is_not_asked(client, member, post_login):
    post_login("member", PASSWORD)
    assert client.get("/clients/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(client, supervisor_a, post_login):
    post_login("super_a", PASSWORD)
    page = client.get("/mfa/setup/")
    content = page.content.decode()
    assert 'src="data:image/svg+xml' in content
    device = TOTPDevice.objects.get(user=supervisor_a)
    assert "".join(page.context["secret"].split()) in device.config_url
    assert 'href="otpauth://totp/IPS%20Case%20Manager' in content  # the app on the same phone
    assert client.get("/mfa/setup/").context["secret"] == page.context["secret"]  # same key on reload
    wrong = client.post("/mfa/setup/", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert events("enrolment code refused").filter(action=Action.LOGIN_FAILED, user=supervisor_a).exists()
    device.throttle_reset()
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=supervisor_a).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(user=supervisor_a).confirmed
    assert events("enrolled").filter(action=Action.CREATE, user=supervisor_a).count() == 1
    assert client.get("/clients/").status_code == 200  # this session is verified
    # Shown once: the setup page no longer offers a key or the codes.
    assert client.get("/mfa/setup/")["Location"] == "/mfa/"
    assert codes[0] not in client.get("/mfa/").content.decode()


def test_every_later_log_in_asks_for_a_code(client, supervisor_a, post_login, time_machine):
    post_login("super_a", PASSWORD)
    enrol(client)
    client.post("/logout/")
    next_window(time_machine)
    post_login("super_a", PASSWORD)
    assert client.get("/clients/")["Location"] == "/mfa/verify/?next=%2Fclients%2F"
    wrong = client.post("/mfa/verify/", {"code": "123456", "next": "/clients/"})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    assert events("code refused").filter(action=Action.LOGIN_FAILED, user=supervisor_a).count() == 1
    assert client.get("/clients/").status_code == 302
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=3), tick=True)  # the throttle's wait
    device = TOTPDevice.objects.get(user=supervisor_a)
    response = client.post("/mfa/verify/", {"code": code_for(device), "next": "/clients/"})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.get("/clients/").status_code == 200


def test_wrong_codes_are_throttled(client, supervisor_a, post_login, time_machine):
    post_login("super_a", PASSWORD)
    enrol(client)
    client.post("/logout/")
    next_window(time_machine)
    post_login("super_a", PASSWORD)
    for _ in range(4):
        client.post("/mfa/verify/", {"code": "000000"})
    device = TOTPDevice.objects.get(user=supervisor_a)
    refused = client.post("/mfa/verify/", {"code": code_for(device)})  # the right code, too soon
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get("/clients/").status_code == 302
    assert events("code refused").filter(detail__throttled=True).exists()
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=40), tick=True)  # 2**3 s, and a new code
    assert client.post("/mfa/verify/", {"code": code_for(device)}).status_code == 302
    assert client.get("/clients/").status_code == 200


def test_a_recovery_code_signs_in_once(client, supervisor_a, post_login):
    post_login("super_a", PASSWORD)
    codes = enrol(client)
    client.post("/logout/")
    post_login("super_a", PASSWORD)
    response = client.post("/mfa/verify/", {"code": codes[3].upper(), "next": "/clients/"})
    assert response["Location"] == "/clients/"
    used = events("recovery code used").get(user=supervisor_a)
    assert used.action == Action.LOGIN and used.detail["left"] == 9
    client.post("/logout/")
    post_login("super_a", PASSWORD)
    assert "not right" in client.post("/mfa/verify/", {"code": codes[3]}).content.decode()


def test_the_admin_needs_a_verified_session_too(client, admin_user, post_login):
    assert post_login("global_admin", PASSWORD, url="/admin/login/").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/mfa/verify/")
    assert client.get("/admin/programs/user/").status_code == 302


def test_exempt_pages_and_htmx_and_the_api(client, supervisor_a, post_login, supervisor_token):
    post_login("super_a", PASSWORD)
    assert client.get("/login/").status_code == 302  # already signed in: Django's redirect, not ours
    assert client.get("/healthz").status_code == 200
    assert client.get("/mfa/setup/").status_code == 200
    htmx = client.get("/clients/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith("/mfa/verify/")
    api = client.get("/api/v1/clients/")
    assert api.status_code == 403 and "Two-factor" in api.json()["detail"]
    # A token carries no session: the API judges it as before.
    token = client.get("/api/v1/clients/", headers={"Authorization": f"Bearer {supervisor_token}"})
    assert token.status_code == 200, token.json()
    # Another kind of Authorization header leaves the session in charge: no way around the code.
    assert client.get("/clients/", headers={"Authorization": "Bearer x"}).status_code == 302
    assert client.get("/api/v1/clients/", headers={"Authorization": "Basic eDp5"}).status_code == 403
    assert client.get("/api/v1/clients/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/logout/").status_code == 302


def test_a_trainer_is_asked_too(client, trainer, post_login):
    post_login("trainer_r", PASSWORD)
    assert client.get("/fidelity/reports/")["Location"].startswith("/mfa/verify/")


def test_the_user_turns_it_off_with_their_password(client, supervisor_a, post_login):
    post_login("super_a", PASSWORD)
    enrol(client)
    refused = client.post("/mfa/", {"action": "off", "password": "not-my-password"})
    assert "not your password" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=supervisor_a).exists()
    assert client.post("/mfa/", {"action": "off", "password": PASSWORD})["Location"] == "/mfa/"
    assert not TOTPDevice.objects.filter(user=supervisor_a).exists()
    assert not StaticDevice.objects.filter(user=supervisor_a).exists()
    removed = events("devices removed").get(user=supervisor_a)
    assert removed.action == Action.DELETE and removed.detail["by"] == "self"
    # A supervisor must have it: the next page is enrolment again.
    assert client.get("/clients/")["Location"].startswith("/mfa/verify/")


def test_new_recovery_codes_replace_the_old_ones(client, supervisor_a, post_login):
    post_login("super_a", PASSWORD)
    old = enrol(client)
    new = client.post("/mfa/", {"action": "codes", "password": PASSWORD}).context["codes"]
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=supervisor_a).values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)
    assert events("recovery codes renewed").filter(user=supervisor_a).count() == 1


def test_an_administrator_resets_it_from_the_admin(client, supervisor_a, specialist_b, regional_admin, verified_login):
    TOTPDevice.objects.create(user=supervisor_a, name="app", confirmed=True)
    StaticDevice.objects.create(user=supervisor_a, name="codes", confirmed=True)
    elsewhere = TOTPDevice.objects.create(user=specialist_b, name="app", confirmed=True)
    verified_login(regional_admin)
    response = client.post(
        "/admin/programs/user/", {"action": "reset_two_factor", "_selected_action": [supervisor_a.pk, specialist_b.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor_a).exists()
    assert not StaticDevice.objects.filter(user=supervisor_a).exists()
    assert TOTPDevice.objects.filter(pk=elsewhere.pk).exists()  # another region's user: out of reach
    event = events("devices removed").get()
    assert event.user == regional_admin and event.object_id == str(supervisor_a.pk)
    assert event.detail["by"] == "administrator"


def test_an_unverified_administrator_cannot_reach_the_action(client, supervisor_a, regional_admin):
    device = TOTPDevice.objects.create(user=supervisor_a, name="app", confirmed=True)
    client.force_login(regional_admin)
    response = client.post(
        "/admin/programs/user/", {"action": "reset_two_factor", "_selected_action": [supervisor_a.pk]}
    )
    assert response["Location"].startswith("/mfa/verify/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_django_otps_device_admins_are_not_offered(client, regional_admin, verified_login):
    verified_login(regional_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_production_checks_warn_when_it_is_not_required(settings):
    from accounts.checks import two_factor_required

    assert two_factor_required(None) == []
    settings.MFA_REQUIRED_ROLES = ()
    assert [w.id for w in two_factor_required(None)] == ["accounts.W001"]
