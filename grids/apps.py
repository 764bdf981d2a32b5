from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格区域与人员")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from grids.roles import sync_all_role_permissions

        post_migrate.connect(sync_all_role_permissions, sender=self, dispatch_uid="grids_role_groups")

        from exports.registry import register_ledger
        from grids.audit_ledger import LEDGER

        register_ledger(LEDGER)
