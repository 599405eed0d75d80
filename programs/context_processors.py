from django.utils.functional import SimpleLazyObject

from .access import roles_of


def access(request):
    """`user_roles` for navigation; evaluated only when a template reads it."""
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}
