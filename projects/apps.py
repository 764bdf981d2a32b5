from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("服务项目")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from core.workbench import register_todos
        from projects.figures import SOURCE
        from projects.mobile import card_todos
        from projects.workbench import SECTION
        from visits.card_actions import CardAction, register_card_action
        from visits.card_todos import CardTodoProvider, register_card_todos

        register_card_action(CardAction(_("服务需求"), "projects_mobile:need", "projects.add_serviceneed"))
        register_card_action(CardAction(_("服务评价"), "projects_mobile:rate", "projects.add_serviceevaluation"))
        register_card_todos(CardTodoProvider(card_todos, "projects.add_serviceevaluation"))
        register_todos(SECTION)
        register_figures(SOURCE)

        from exports.registry import register_ledger
        from projects.exports import LEDGER

        register_ledger(LEDGER)
