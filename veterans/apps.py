from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeteransConfig(AppConfig):
    name = "veterans"
    verbose_name = _("退役军人档案")

    def ready(self) -> None:
        from core.workbench import register_todos
        from veterans import workbench

        register_todos(workbench.IMPORT_SECTION)
        register_todos(workbench.FILE_SECTION)
