from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = _("迁入迁出")

    def ready(self) -> None:
        from core.workbench import register_todos
        from transfers.workbench import SECTION

        register_todos(SECTION)

        from exports.registry import register_ledger
        from transfers.exports import LEDGER

        register_ledger(LEDGER)
