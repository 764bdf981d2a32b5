from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("走访慰问")

    def ready(self):
        from core.notices import register_deliverer
        from core.workbench import register_todos
        from veterans.visit_schedule import VisitRules, register_visit_rules
        from visits import schedule, selectors, workbench
        from visits.notices import deliver_to_inbox

        register_deliverer(deliver_to_inbox)
        from exports.registry import register_ledger
        from visits.exports import LEDGER

        register_ledger(LEDGER)
        register_todos(workbench.OVERDUE_SECTION)
        register_todos(workbench.EVENT_SECTION)
        register_visit_rules(
            VisitRules(
                refresh=schedule.refresh_visit_schedule,
                policy_intervals=schedule.policy_intervals,
                interval_for=schedule.interval_for,
                overdue_q=selectors.overdue_q,
                covered_q=selectors.covered_q,
            )
        )
