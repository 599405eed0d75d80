"""The "API tokens" page: a user creates tokens (each shown once) and revokes their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import RuleViolation

from .models import ApiToken
from .services import LIFETIMES, create_token, revoke_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            days = int(request.POST.get("days") or 0)
        except ValueError:
            days = 0
        try:
            _, new_token = create_token(user=request.user, name=request.POST.get("name", ""), days=days)
        except RuleViolation as exc:
            errors = exc.message_dict
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": new_token,
            "errors": errors,
            "lifetimes": LIFETIMES,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the user's own tokens here (administrators revoke others' in the admin).
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token, user=request.user)
    messages.success(request, f"Token {token.prefix}… revoked.")
    return redirect("api:tokens")
