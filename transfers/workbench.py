"""The workbench's transfers: files sent to the user's area and not yet accepted or rejected.
Registered in core.workbench by TransfersConfig.ready()."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workbench import Todo, TodoSection, list_url
from transfers.models import TransferStatus
from transfers.selectors import transfers_for


def transfer_todos(*, user, today: datetime.date) -> list[Todo]:
    count = transfers_for(user=user, direction="in").filter(status=TransferStatus.PENDING).count()
    url = list_url("admin:transfers_transfer_changelist", direction="in", status__exact=TransferStatus.PENDING)
    return [Todo(_("待接收的迁入档案"), count, url, urgent=True)]


SECTION = TodoSection(
    key="transfers",
    title=gettext_lazy("迁入迁出"),
    permission="transfers.view_transfer",
    todos=transfer_todos,
    order=70,
)
