from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("走访慰问")

    def ready(self):
        from core.notices import register_deliverer
        from visits.notices import deliver_to_inbox

        register_deliverer(deliver_to_inbox)
