"""The workbench's appeals (四必回应): those past their deadline and those due within three
working days. Registered in core.workbench by AppealsConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.selectors import urgency_counts
from core.workbench import Todo, TodoSection, list_url


def appeal_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = urgency_counts(user=user, today=today)
    changelist = "admin:appeals_appeal_changelist"
    return [
        Todo(_("已超期"), counts["overdue"], list_url(changelist, urgency="overdue"), urgent=True),
        Todo(_("3个工作日内到期"), counts["due_working_days"], list_url(changelist, urgency="due_working_days")),
    ]


SECTION = TodoSection(
    key="appeals", title=gettext_lazy("问题诉求"), permission="appeals.view_appeal", todos=appeal_todos, order=20
)
