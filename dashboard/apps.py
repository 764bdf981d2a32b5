from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("数据看板")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from dashboard.coverage import COVERAGE

        register_figures(COVERAGE)  # Pinghu's five coverages, from figures the help apps count
