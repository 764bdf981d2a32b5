"""问题诉求台账 as a streamed .xlsx, in the columns stations keep on paper."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from appeals.models import Appeal
from exports.registry import Ledger, Requester
from exports.services import ledger_response

HEADERS = [
    gettext_noop("编号"), gettext_noop("受理日期"), gettext_noop("姓名"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("受理渠道"), gettext_noop("诉求类别"),
    gettext_noop("诉求事项"), gettext_noop("诉求内容"), gettext_noop("承办人"), gettext_noop("办理期限"),
    gettext_noop("状态"), gettext_noop("是否超期"), gettext_noop("办理结果"), gettext_noop("办结日期"),
    gettext_noop("满意度"), gettext_noop("回访意见"),
]  # fmt: skip


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _late(appeal: Appeal, today) -> str:
    finished = appeal.resolved_on or (today if appeal.is_open else None)
    if finished is None:
        return ""
    return _("超期%(days)s天") % {"days": (finished - appeal.deadline).days} if finished > appeal.deadline else _("否")


def _rows(queryset: QuerySet[Appeal], requester: Requester):
    today = timezone.localdate()
    queryset = queryset.select_related("veteran", "street", "community", "grid", "category", "handler")
    for appeal in queryset.order_by("received_on", "id").iterator(chunk_size=2000):
        yield [
            appeal.pk,
            appeal.received_on,
            appeal.veteran.name,
            appeal.street.name,
            appeal.community.name,
            appeal.grid.name,
            appeal.get_channel_display(),
            appeal.category.name,
            appeal.subject,
            appeal.content,
            _person(appeal.handler),
            appeal.deadline,
            appeal.get_status_display(),
            _late(appeal, today),
            appeal.resolution,
            appeal.resolved_on,
            appeal.get_satisfaction_display(),
            appeal.feedback,
        ]


LEDGER = Ledger(
    key="appeals",
    title=lambda: _("问题诉求台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "appeals"},
)


def appeals_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
