"""The two-factor pages: enrolment (QR code, then a code to confirm, then the recovery codes once),
verification after the password, and the user's own page to renew recovery codes or turn it off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from . import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        help_text="The six digits your authenticator app shows, or one of your recovery codes.",
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: a path on this site, never another host (nor a bare word that
    redirect() would try to reverse)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if not mfa.has_authenticator(user):  # type: ignore[arg-type]
        if mfa.required_by_role(user):  # type: ignore[arg-type]
            return redirect(reverse("mfa_setup") + "?" + urlencode({"next": _next(request)}))
        request.session[mfa.SESSION_KEY] = False  # their device was removed: nothing to verify
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.verify(request, form.cleaned_data["code"])
        if result.ok:
            if result.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {result.recovery_codes_left} left. "
                    "Renew them on your two-factor page if few are left.",
                )
            return redirect(_next(request))
        form.add_error(
            "code",
            "Too many wrong codes: wait a little, then try again."
            if result.throttled
            else "That code is not right (or was already used). Try the next one.",
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if mfa.has_authenticator(user):  # type: ignore[arg-type]
        # One authenticator at a time; replacing it means turning it off first (from a verified session).
        return redirect("mfa_manage" if user.is_verified() else "mfa_verify")  # type: ignore[union-attr]
    device = mfa.pending_authenticator(user)  # type: ignore[arg-type]
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", "That code is not right. Check the phone's clock and type the newest code.")
    context = {
        "form": form,
        "qr": mfa.qr_svg_data_uri(device),
        "secret": mfa.secret_of(device),
        "config_url": device.config_url,  # otpauth://: an app on the same phone opens it
        "next": _next(request),
        "required": mfa.required_by_role(user),  # type: ignore[arg-type]
    }
    return render(request, "accounts/mfa_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Reached only from a verified session when the user has an authenticator (the middleware)."""
    user = request.user
    action = request.POST.get("action")
    form = PasswordForm(request.POST if action else None, user=user)
    if action and form.is_valid():
        if action == "codes" and mfa.has_authenticator(user):  # type: ignore[arg-type]
            codes = mfa.renew_recovery_codes(request)
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": "/"})
        if action == "off":
            mfa.remove_devices(request, user, by=user)  # type: ignore[arg-type]
            request.session[mfa.SESSION_KEY] = mfa.required_by_role(user)  # type: ignore[arg-type]
            messages.info(request, "Two-factor authentication is off for your account.")
            return redirect("mfa_manage")
    context = {
        "form": form,
        "action": action,
        "enrolled": mfa.has_authenticator(user),  # type: ignore[arg-type]
        "codes_left": mfa.recovery_codes_left(user),  # type: ignore[arg-type]
        "required": mfa.required_by_role(user),  # type: ignore[arg-type]
    }
    return render(request, "accounts/mfa_manage.html", context)
