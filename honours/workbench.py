"""The workbench's merit notices (立功喜报): those received and not yet handed to the family, and
those waiting longer than URGENT_AFTER_DAYS days (late). Registered by HonoursConfig.ready()."""

import datetime

from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from honours.filters import DELIVERY_CHOICES
from honours.selectors import notice_urgency_counts

LABELS = dict(DELIVERY_CHOICES)  # the list's own names for the rows counted
CHANGELIST = "admin:honours_meritnotice_changelist"


def notice_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = notice_urgency_counts(user=user, today=today)
    return [
        Todo(str(LABELS["waiting"]), counts["waiting"], list_url(CHANGELIST, delivery="waiting")),
        Todo(str(LABELS["urgent"]), counts["urgent"], list_url(CHANGELIST, delivery="urgent"), urgent=True),
    ]


SECTION = TodoSection(
    key="honours", title=gettext_lazy("立功喜报"), permission="honours.view_meritnotice", todos=notice_todos, order=75
)
