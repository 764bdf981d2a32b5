from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeteransConfig(AppConfig):
    name = "veterans"
    verbose_name = _("退役军人档案")
