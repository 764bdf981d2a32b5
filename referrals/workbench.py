"""The workbench's referrals: follow-ups overdue and due today, and referrals the provider has
not answered yet. Registered in core.workbench by ReferralsConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from referrals.selectors import todo_counts


def referral_todos(*, user, today: datetime.date) -> list[Todo]:
    counts = todo_counts(user=user, today=today)
    changelist = "admin:referrals_referral_changelist"
    return [
        Todo(_("跟进已逾期"), counts["overdue"], list_url(changelist, stage="overdue"), urgent=True),
        Todo(_("今日应跟进"), counts["due_today"], list_url(changelist, stage="due_today")),
        Todo(_("待机构接收"), counts["waiting"], list_url(changelist, stage="waiting")),
    ]


SECTION = TodoSection(
    key="referrals",
    title=gettext_lazy("转介服务"),
    permission="referrals.view_referral",
    todos=referral_todos,
    order=25,
)
