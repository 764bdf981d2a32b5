from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = _("年度确认")
