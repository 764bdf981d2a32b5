from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "wishes"
    verbose_name = _("微心愿")

    def ready(self) -> None:
        from core.workbench import register_todos
        from visits.card_actions import CardAction, register_card_action
        from wishes.workbench import SECTION

        register_card_action(CardAction(_("记录心愿"), "wishes_mobile:new", "wishes.add_microwish"))
        register_todos(SECTION)

        from exports.registry import register_ledger
        from wishes.exports import LEDGER

        register_ledger(LEDGER)
