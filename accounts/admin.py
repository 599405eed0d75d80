"""The Django admin's part of two-factor authentication: an action on users that resets it (the user
enrols again at the next sign-in), scoped and audited like the rest of the user admin.

django-otp's own device admins are removed: they would show other users' secret keys and recovery codes,
and they do not go through the access layer."""

from django.contrib import admin, messages
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import User

from . import mfa

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(description="Reset two-factor authentication (the user sets it up again)", permissions=["change"])
def reset_two_factor(model_admin, request, queryset):
    # `queryset` is the user admin's: only users this administrator manages (programs.access).
    reset = 0
    for user in queryset:
        if mfa.remove_devices(request, user, by=request.user):
            reset += 1
    model_admin.message_user(request, f"Two-factor authentication reset for {reset} user(s).", messages.SUCCESS)


user_admin = admin.site.get_model_admin(User)
user_admin.actions = [*(user_admin.actions or []), reset_two_factor]
