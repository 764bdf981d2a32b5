"""审计日志 as an exports ledger: the audit rows an auditor has on screen, through the exports app
(a big selection is built in the background, scoped again for the requester)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.models import AuditEvent
from exports.registry import Ledger, Requester

HEADERS = [
    gettext_noop("时间"),
    gettext_noop("用户名"),
    gettext_noop("IP地址"),
    gettext_noop("操作类型"),
    gettext_noop("结果"),
    gettext_noop("对象类型"),
    gettext_noop("对象编号"),
    gettext_noop("对象"),
    gettext_noop("详情"),
]


def _rows(queryset: QuerySet[AuditEvent], requester: Requester):
    for event in queryset.order_by("occurred_at", "id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_username,
            event.ip_address or "",
            event.get_action_display(),
            event.get_result_display(),
            event.object_type,
            event.object_id,
            event.object_repr,
            str(event.detail or ""),
        ]


LEDGER = Ledger(
    key="audit",
    title=lambda: _("审计日志"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "audit"},
)
