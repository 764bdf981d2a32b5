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

        register_todos(SECTION)
        register_figures(SOURCE)
