from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("技能培训")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from training.figures import SOURCE

        register_figures(SOURCE)
