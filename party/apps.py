from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "party"
    verbose_name = _("党组织")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from party.figures import SOURCE
        from party.mobile import card_todos
        from party.workbench import SECTION
        from visits.card_todos import CardTodoProvider, register_card_todos

        register_figures(SOURCE)
        register_todos(SECTION)
        register_card_todos(CardTodoProvider(card_todos, "party.add_followupstep"))

        from exports.registry import register_ledger
        from party.exports import LIFE_LEDGER, MEMBERS_LEDGER

        register_ledger(MEMBERS_LEDGER)
        register_ledger(LIFE_LEDGER)
