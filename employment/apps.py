from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _follow_move(sender, instance, update_fields=None, **kwargs):
    """A person's registry line lives in the person's grid; veteran_move_grid saves the file with
    the grid among update_fields, and the line follows (an UPDATE of one row, no rule)."""
    if update_fields and "grid" in update_fields:
        from employment.services import follow_person_grid
        from grids.scoping import SYSTEM

        follow_person_grid(person_id=instance.pk, grid=instance.grid, acting_user=SYSTEM)


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("就业创业")

    def ready(self) -> None:
        from core.board_figures import register_figures
        from employment.figures import SOURCE
        from veterans.models import Veteran
        from visits.card_actions import CardAction, register_card_action

        register_card_action(CardAction(_("就业登记"), "employment_mobile:visit", "employment.add_statuschange"))
        register_figures(SOURCE)
        post_save.connect(_follow_move, sender=Veteran, dispatch_uid="employment_follow_move")

        from employment.exports import LEDGER
        from exports.registry import register_ledger

        register_ledger(LEDGER)
