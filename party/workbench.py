"""The workbench's party follow-ups: open ones assigned to the user, and those still open after
30 days. Registered in core.workbench by PartyConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from party.selectors import followup_counts


def party_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = followup_counts(user=user, today=today)
    changelist = "admin:party_followup_changelist"
    return [
        Todo(_("我负责的党员跟进"), counts["mine"], list_url(changelist, status__exact="open", assigned="me")),
        Todo(_("跟进超过30天未纳入"), counts["overdue"], list_url(changelist, overdue="yes"), urgent=True),
    ]


SECTION = TodoSection(
    key="party", title=gettext_lazy("党员组织关系"), permission="party.change_followup", todos=party_todos, order=60
)
