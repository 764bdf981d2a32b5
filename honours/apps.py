from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("评选表彰")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from honours.figures import SOURCE
        from honours.mobile import card_todos
        from honours.workbench import SECTION
        from visits.card_actions import CardAction, register_card_action
        from visits.card_todos import CardTodoProvider, register_card_todos

        register_card_action(CardAction(_("送达喜报"), "honours_mobile:deliver", "honours.deliver_meritnotice"))
        register_card_todos(CardTodoProvider(card_todos, "honours.view_meritnotice"))
        register_todos(SECTION)
        register_figures(SOURCE)
