"""走访慰问台账: the visits ledger as a streamed .xlsx."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.exports import xlsx_download
from visits.models import Visit

HEADERS = [
    gettext_noop("走访时间"),
    gettext_noop("姓名"),
    gettext_noop("街道/镇"),
    gettext_noop("社区/村"),
    gettext_noop("网格"),
    gettext_noop("方式"),
    gettext_noop("类型"),
    gettext_noop("必访事由"),
    gettext_noop("节日慰问活动"),
    gettext_noop("走访情况"),
    gettext_noop("反映需求"),
    gettext_noop("慰问金（元）"),
    gettext_noop("慰问物品"),
    gettext_noop("物品价值（元）"),
    gettext_noop("需要跟进"),
    gettext_noop("跟进期限"),
    gettext_noop("记录人"),
]


def _rows(queryset: QuerySet[Visit]):
    queryset = queryset.select_related("veteran", "street", "community", "grid", "campaign", "recorded_by")
    for visit in queryset.order_by("visited_at", "id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(visit.visited_at).strftime("%Y-%m-%d %H:%M"),
            visit.veteran.name,
            visit.street.name,
            visit.community.name,
            visit.grid.name,
            visit.get_method_display(),
            visit.get_kind_display(),
            visit.get_event_kind_display(),
            visit.campaign.name if visit.campaign else "",
            visit.findings,
            visit.needs,
            visit.money,
            visit.goods,
            visit.goods_value,
            _("是") if visit.follow_up_needed else _("否"),
            visit.follow_up_by,
            visit.recorded_by.get_full_name() or visit.recorded_by.get_username(),
        ]


def visits_ledger_response(queryset: QuerySet[Visit], *, user, request=None):
    return xlsx_download(
        title=_("走访慰问台账"),
        headers=[_(h) for h in HEADERS],
        rows=_rows(queryset),
        user=user,
        request=request,
        audit_detail={"ledger": "visits"},
    )
