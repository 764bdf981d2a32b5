"""The workbench's files: the user's imports checked but not confirmed, glory plaques not hung
and files below the completeness line. Registered in core.workbench by VeteransConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from veterans.models import LifeStatus
from veterans.rules import COMPLETENESS_LINE
from veterans.selectors import file_gaps, imports_awaiting_confirmation

VETERANS = "admin:veterans_veteran_changelist"
ALIVE = {"life_status__exact": LifeStatus.ALIVE}


def import_todos(*, user, today: datetime.date) -> list[Todo]:
    count = imports_awaiting_confirmation(user=user).count()
    return [Todo(_("已校验、待确认的导入"), count, list_url("admin:veterans_import_start", waiting=1), urgent=True)]


def file_todos(*, user, today: datetime.date) -> list[Todo]:
    gaps = file_gaps(user=user)
    return [
        Todo(_("光荣牌未悬挂"), gaps["plaque_not_hung"], list_url(VETERANS, plaque="not_hung", **ALIVE)),
        Todo(
            _("档案完整度低于%(line)s%%") % {"line": COMPLETENESS_LINE},
            gaps["below_line"],
            list_url(VETERANS, completeness="low", **ALIVE),
        ),
    ]


IMPORT_SECTION = TodoSection(
    key="imports",
    title=gettext_lazy("Excel导入"),
    permission="veterans.import_veterans",
    todos=import_todos,
    order=50,
)
FILE_SECTION = TodoSection(
    key="files",
    title=gettext_lazy("档案与光荣牌"),
    permission="veterans.view_veteran",
    todos=file_todos,
    order=90,
)
