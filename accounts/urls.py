"""Log-in, log-out, the second factor and the user's own password (no namespace: Django's views reverse these names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import mfa_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mfa/", mfa_views.manage, name="mfa_manage"),
    path("mfa/verify/", mfa_views.verify, name="mfa_verify"),
    path("mfa/setup/", mfa_views.setup, name="mfa_setup"),
]
