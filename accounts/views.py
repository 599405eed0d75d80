"""Log-in (each role lands on its daily page) and the user's own password: change it (ends the other
sessions) and reset it by e-mail (Django's views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.urls import reverse

from programs.access import roles_of
from programs.models import Role

from .sessions import end_sessions

# Where a user holding only this role starts the day; anyone else lands on Home (which sends specialists on
# to their caseload). A `next` address still wins.
LANDING = {Role.SUPERVISOR: "reports:dashboard", Role.TRAINER: "fidelity:index"}


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        roles = roles_of(self.request.user)
        if len(roles) == 1 and (landing := LANDING.get(next(iter(roles)))):
            return reverse(landing)
        return super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session signed in (update_session_auth_hash)
        end_sessions(form.user, keep=self.request.session.session_key)
        return response
