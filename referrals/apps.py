from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("志愿服务与转介")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from referrals.board import SOURCE
        from referrals.mobile import card_todos
        from referrals.workbench import SECTION
        from visits.card_actions import CardAction, register_card_action
        from visits.card_todos import CardTodoProvider, register_card_todos

        register_card_action(CardAction(_("转介服务"), "referrals_mobile:new", "referrals.add_referral"))
        register_card_todos(CardTodoProvider(card_todos, "referrals.view_referral"))
        register_todos(SECTION)
        register_figures(SOURCE)

        from exports.registry import register_ledger
        from referrals.exports import REFERRALS_LEDGER, VOLUNTEERS_LEDGER

        register_ledger(REFERRALS_LEDGER)
        register_ledger(VOLUNTEERS_LEDGER)
