from django.conf import settings
from django.core.checks import Error, register


@register()
def required_roles_exist(app_configs, **kwargs):
    """A misspelt role in OTP_REQUIRED_ROLES would silently drop the second factor for it."""
    from grids.models import Role

    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if unknown:
        return [
            Error(
                f"OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
                hint=f"Use any of: {', '.join(Role.values)}",
                id="accounts.E001",
            )
        ]
    return []
