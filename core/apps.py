from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("系统")

    def ready(self):
        from core.crypto import cipher  # noqa: F401  (registers the deploy check of the field keys)
