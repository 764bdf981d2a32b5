from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("问题诉求")

    def ready(self) -> None:
        from appeals.workbench import SECTION
        from core.workbench import register_todos
        from visits.card_actions import CardAction, register_card_action

        register_card_action(CardAction(_("登记诉求"), "appeals_mobile:new", "appeals.add_appeal"))
        register_todos(SECTION)

        from appeals.exports import LEDGER
        from exports.registry import register_ledger

        register_ledger(LEDGER)
