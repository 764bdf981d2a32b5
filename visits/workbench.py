"""The workbench's visits: people overdue for a visit, with the grids that have most of them,
and must-visit events (六必访) not yet answered by a visit. Registered in core.workbench by
VisitsConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from veterans.models import LifeStatus
from visits.selectors import open_event_counts, overdue_by_grid

WORST_GRIDS = 5
VETERANS = "admin:veterans_veteran_changelist"
# The veteran list hides removed files by default; the living are asked for by name.
ALIVE = {"life_status__exact": LifeStatus.ALIVE}


def overdue_todos(*, user, today: datetime.date) -> list[Todo]:
    total, worst = overdue_by_grid(user=user, today=today, limit=WORST_GRIDS)
    todos = [Todo(_("逾期未访（人）"), total, list_url(VETERANS, visit="overdue", **ALIVE), urgent=True)]
    for row in worst:
        url = list_url(VETERANS, grid=row["grid_id"], visit="overdue", **ALIVE)
        todos.append(Todo(row["grid__name"], row["overdue"], url, note=row["grid__community__name"], urgent=True))
    return todos


def event_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = open_event_counts(user=user, today=today)
    events = "admin:visits_mustvisitevent_changelist"
    return [
        Todo(_("未走访的必访事项"), counts["open"], list_url(events, resolved_at__isempty=1)),
        Todo(
            _("其中已过应访日期"),
            counts["late"],
            list_url(events, resolved_at__isempty=1, due_by__lt=today.isoformat()),
            urgent=True,
        ),
    ]


OVERDUE_SECTION = TodoSection(
    key="overdue_visits",
    title=gettext_lazy("逾期未访（问题最多的网格）"),
    permission="veterans.view_veteran",
    todos=overdue_todos,
    order=30,
)
EVENT_SECTION = TodoSection(
    key="must_visit_events",
    title=gettext_lazy("必访事项"),
    permission="visits.view_mustvisitevent",
    todos=event_todos,
    order=40,
)
