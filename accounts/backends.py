"""Django's model permissions, with each user's permission set cached between requests."""

from django.contrib.auth.backends import ModelBackend

from core.user_cache import remembered


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend answers `has_perm` with two joined queries (the user's own permissions and
    their groups') on every request; their union is the same until a role, group or permission
    changes, which retires the cached copy (accounts.signals)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or user_obj.is_superuser or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = remembered(
                user_obj, "permissions", lambda: super(CachedPermissionsBackend, self).get_all_permissions(user_obj)
            )
        return user_obj._perm_cache
