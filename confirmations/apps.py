from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationsConfig(AppConfig):
    name = "confirmations"
    verbose_name = _("年度确认")

    def ready(self) -> None:
        from visits.card_actions import CardAction, register_card_action

        register_card_action(
            CardAction(_("年度确认"), "confirmations_mobile:confirm", "confirmations.confirm_confirmation")
        )

        from confirmations.exports import LEDGER
        from exports.registry import register_ledger

        register_ledger(LEDGER)
