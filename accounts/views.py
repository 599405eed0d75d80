"""Log-in (each role lands on its daily page), the user's own password: change it (ends the other sessions)
and reset it by e-mail (Django's views); "stay signed in" before the idle timeout."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs.access import roles_of
from programs.models import Role

from .sessions import end_sessions, renew_now

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


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """The warning's "Stay signed in": renews the idle expiry (a cheap request, no page)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "session_expired"}, status=401)
    return JsonResponse({"idle_seconds": renew_now(request.session)})
