from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "merging"
    verbose_name = _("疑似重复档案")
