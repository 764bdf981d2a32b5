from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "pairing"
    verbose_name = _("结对帮扶")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from pairing.figures import SOURCE
        from pairing.workbench import SECTION
        from visits.card_actions import CardAction, register_card_action

        register_figures(SOURCE)
        register_todos(SECTION)
        register_card_action(CardAction(_("结对走访"), "pairing_mobile:contact", "pairing.add_paircontact"))

        from exports.registry import register_ledger
        from pairing.exports import LEDGER

        register_ledger(LEDGER)
