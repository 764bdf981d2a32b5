from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("帮扶救助")

    def ready(self) -> None:
        from assistance.mobile import card_todos
        from assistance.workbench import SECTION
        from core.workbench import register_todos
        from visits.card_actions import CardAction, register_card_action
        from visits.card_todos import CardTodoProvider, register_card_todos

        register_card_action(CardAction(_("报告困难"), "mobile:hardship", "assistance.add_hardshipcase"))
        register_card_todos(CardTodoProvider(card_todos, "assistance.view_hardshipcase"))
        register_todos(SECTION)

        from assistance.exports import CASES_LEDGER, FUND_LEDGER
        from exports.registry import register_ledger

        register_ledger(CASES_LEDGER)
        register_ledger(FUND_LEDGER)
