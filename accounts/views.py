"""The user's own password: change it (ends the other sessions) and reset it by e-mail (Django's views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse

from .sessions import end_sessions


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session signed in (update_session_auth_hash)
        end_sessions(form.user, keep=self.request.session.session_key)
        return response
