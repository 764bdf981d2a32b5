from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("评选表彰")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from honours.figures import SOURCE
        from honours.workbench import SECTION
        from visits.card_actions import CardAction, register_card_action

        # A button only, no card to-do: the card's query count is pinned (one per provider), and the
        # delivery page lists the person's waiting notices itself.
        register_card_action(CardAction(_("送达喜报"), "honours_mobile:deliver", "honours.deliver_meritnotice"))
        register_todos(SECTION)
        register_figures(SOURCE)

        from exports.registry import register_ledger
        from honours.exports import NOMINATIONS_LEDGER, NOTICES_LEDGER

        register_ledger(NOMINATIONS_LEDGER)
        register_ledger(NOTICES_LEDGER)
