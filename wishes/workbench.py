"""The workbench's micro-wishes: those no donor has claimed yet. Registered in core.workbench
by WishesConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from wishes.selectors import UNCLAIMED_STATUSES, unclaimed_wishes_for


def wish_todos(*, user, today: datetime.date) -> list[Todo]:
    count = unclaimed_wishes_for(user=user).count()
    url = list_url("admin:wishes_microwish_changelist", status__in=",".join(UNCLAIMED_STATUSES))
    return [Todo(_("尚未认领的微心愿"), count, url)]


SECTION = TodoSection(
    key="wishes", title=gettext_lazy("微心愿"), permission="wishes.view_microwish", todos=wish_todos, order=60
)
