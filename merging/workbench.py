"""The workbench's near-duplicate files: pairs found and not yet decided (merge or "not the same
person"). Registered in core.workbench by MergingConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from merging.models import PairStatus
from merging.selectors import pairs_for


def pair_todos(*, user, today: datetime.date) -> list[Todo]:
    count = pairs_for(user=user).filter(status=PairStatus.PENDING).count()
    url = list_url("admin:merging_duplicatepair_changelist", status__exact=PairStatus.PENDING)
    return [Todo(_("待处理的疑似重复档案"), count, url)]


SECTION = TodoSection(
    key="duplicates",
    title=gettext_lazy("疑似重复档案"),
    permission="merging.view_duplicatepair",
    todos=pair_todos,
    order=80,
)
