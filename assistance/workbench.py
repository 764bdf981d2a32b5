"""The workbench's hardship cases: those waiting for the user's own step (review, approve, pay),
with how long the oldest has waited since the hardship was first reported. Registered in
core.workbench by AssistanceConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistance.selectors import WAITING_LABELS, waiting_counts
from core.workbench import Todo, TodoSection, list_url

CASE_LATE_DAYS = 7  # an application waiting longer than a week for one step is shown as late


def case_todos(*, user, today: datetime.date) -> list[Todo]:
    todos = []
    for stage, (count, oldest) in waiting_counts(user=user).items():
        days = (today - oldest).days if oldest else 0
        note = _("最早的已等 %(days)s 天") % {"days": days} if count else ""
        url = list_url("admin:assistance_hardshipcase_changelist", waiting=stage)
        todos.append(Todo(str(WAITING_LABELS[stage]), count, url, note=note, urgent=days > CASE_LATE_DAYS))
    return todos


SECTION = TodoSection(
    key="cases", title=gettext_lazy("救助审批"), permission="assistance.view_hardshipcase", todos=case_todos, order=10
)
