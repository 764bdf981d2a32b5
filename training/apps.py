from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("技能培训")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from training.figures import SOURCE
        from visits.card_actions import CardAction, register_card_action

        register_card_action(CardAction(_("报名培训"), "training_mobile:enrol", "training.add_enrolment"))
        register_figures(SOURCE)

        from exports.registry import register_ledger
        from training.exports import LEDGER

        register_ledger(LEDGER)
