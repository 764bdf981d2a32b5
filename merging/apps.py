from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "merging"
    verbose_name = _("疑似重复档案")

    def ready(self):
        from core.workbench import register_todos
        from merging.tasks import watch
        from merging.workbench import SECTION
        from veterans.duplicate_watch import register_duplicate_watcher

        register_duplicate_watcher(watch)
        register_todos(SECTION)
