"""Two-factor authentication (django-otp): an authenticator app's TOTP codes, with recovery codes.

Who must use it: a user holding one of settings.MFA_REQUIRED_ROLES anywhere (supervisors, trainers,
administrators by default; superusers count as administrators), and anyone who enrolled of their own
accord. Whether a session needs the second factor is decided once, when the password log-in succeeds
(and stored in the session, so pages cost no query for it); `accounts.middleware.TwoFactorMiddleware`
then sends that session to the verification (or enrolment) page until a code is accepted.

Wrong codes are throttled by django-otp (each failure doubles the wait before the next try); every
enrolment, failed code, recovery code used and device removal is an audit event.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action
from audit.services import record
from programs.access import roles_of
from programs.models import User

SESSION_KEY = "accounts_mfa_required"
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def required_by_role(user: User) -> bool:
    """True when one of the user's roles is in settings.MFA_REQUIRED_ROLES."""
    required = set(getattr(settings, "MFA_REQUIRED_ROLES", ()))
    return bool(required) and bool(required & roles_of(user))


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user: User) -> bool:
    return has_authenticator(user) or required_by_role(user)


def session_needs_second_factor(request: HttpRequest) -> bool:
    """Stored at log-in (accounts.signals); a session from before this feature is judged once, now."""
    required = request.session.get(SESSION_KEY)
    if not isinstance(required, bool):
        required = needs_second_factor(request.user)  # type: ignore[arg-type]
        request.session[SESSION_KEY] = required
    return required


def pending_authenticator(user: User) -> TOTPDevice:
    """The unconfirmed device an enrolment shows: the same key on every reload until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data: URI (CSP allows data: images, nothing else)."""
    import segno

    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms `device` with a code from the app: returns the new recovery codes (shown once), or
    None when the code is wrong (throttled like any code)."""
    user: User = request.user  # type: ignore[assignment]
    if not device.verify_token(code.strip()):
        record(request, Action.LOGIN_FAILED, user, detail={"two_factor": "enrolment code refused"})
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record(request, Action.CREATE, user, detail={"two_factor": "enrolled"})
    otp_login(request, device)
    request.session[SESSION_KEY] = True
    return codes


@dataclass(frozen=True)
class Verification:
    ok: bool
    throttled: bool = False
    recovery_codes_left: int | None = None


def verify(request: HttpRequest, code: str) -> Verification:
    """Checks a code from the app (six digits) or a recovery code (anything else) and marks the session
    verified. A recovery code is spent."""
    user: User = request.user  # type: ignore[assignment]
    code = "".join(code.split()).lower()
    app_code = code.isdigit() and len(code) == 6
    devices = [
        device
        for device in devices_for_user(user, confirmed=True)
        if isinstance(device, TOTPDevice if app_code else StaticDevice)
    ]
    throttled = False
    for device in devices:
        if not device.verify_is_allowed()[0]:
            throttled = True
            continue
        if device.verify_token(code):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                record(request, Action.LOGIN, user, detail={"two_factor": "recovery code used", "left": left})
                return Verification(ok=True, recovery_codes_left=left)
            return Verification(ok=True)
    record(request, Action.LOGIN_FAILED, user, detail={"two_factor": "code refused", "throttled": throttled})
    return Verification(ok=False, throttled=throttled)


def renew_recovery_codes(request: HttpRequest) -> list[str]:
    user: User = request.user  # type: ignore[assignment]
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record(request, Action.UPDATE, user, detail={"two_factor": "recovery codes renewed"})
    return codes


def remove_devices(request: HttpRequest | None, user: User, *, by: User) -> int:
    """Removes the user's authenticator and recovery codes (their own choice or an administrator's):
    their next sign-in enrols again if their role requires it."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        record(
            request,
            Action.DELETE,
            user,
            user=by,
            detail={"two_factor": "devices removed", "by": "self" if by.pk == user.pk else "administrator"},
        )
    return removed


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
