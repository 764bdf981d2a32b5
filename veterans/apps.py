from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeteransConfig(AppConfig):
    name = "veterans"
    verbose_name = _("退役军人档案")

    def ready(self) -> None:
        from core.workbench import register_todos
        from exports.registry import register_ledger
        from veterans import workbench
        from veterans.exports import EXPORT_LEDGERS

        for ledger in EXPORT_LEDGERS:
            register_ledger(ledger)

        register_todos(workbench.IMPORT_SECTION)
        register_todos(workbench.FILE_SECTION)
