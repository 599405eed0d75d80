from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Action, AuditEvent


def _program_id(obj):
    """The program a record belongs to, read along the model's `program_path`."""
    path = getattr(type(obj), "program_path", None)
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    target = obj
    for part in path.split("__")[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, path.split("__")[-1] + "_id", None)


def client_ip(request):
    if request is None:
        return None
    # Behind a proxy the first hop is the client; REMOTE_ADDR otherwise.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record(request, action, obj=None, *, user=None, detail=None):
    """Write one audit event. `request` may be None for tasks and commands (pass `user`)."""
    if user is None and request is not None:
        current = getattr(request, "user", None)
        user = current if current is not None and current.is_authenticated else None
    event = AuditEvent(
        user=user,
        username=getattr(user, "username", "") or "",
        action=action,
        path=(request.path[:300] if request is not None else ""),
        ip_address=client_ip(request),
        detail=detail or {},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.program_id = _program_id(obj)
    event.save()
    return event


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    record(request, Action.LOGIN, user=user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(request, Action.LOGOUT, user=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username only; never the password.
    record(request, Action.LOGIN_FAILED, detail={"username": str(credentials.get("username", ""))[:150]})
