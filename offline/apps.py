from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "offline"
    verbose_name = _("离线走访")

    def ready(self):
        from visits.card_actions import CardAction, register_card_action

        register_card_action(CardAction(_("更新联系信息"), "offline:contact", "veterans.change_veteran"))
