from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号安全")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from accounts import checks, signals  # noqa: F401
        from accounts.names import display_name

        # Staff are shown by their real name wherever an account is printed: admin lists and
        # filters, read-only fields, inlines (经办人, 操作人), choices. Django prints the login
        # name; the audit keeps the login name in a column of its own (actor_username).
        get_user_model().__str__ = display_name
