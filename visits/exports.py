"""走访慰问台账: the visits ledger as a streamed .xlsx."""

from django.db.models import QuerySet
from django.utils import timezone

from core.exports import xlsx_download
from visits.models import Visit

HEADERS = [
    "走访时间", "姓名", "街道/镇", "社区/村", "网格", "方式", "类型", "必访事由", "节日慰问活动", "走访情况",
    "反映需求", "慰问金（元）", "慰问物品", "物品价值（元）", "需要跟进", "跟进期限", "记录人",
]  # fmt: skip


def _rows(queryset: QuerySet[Visit]):
    queryset = queryset.select_related("veteran", "street", "community", "grid", "campaign", "recorded_by")
    for visit in queryset.order_by("visited_at", "id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(visit.visited_at).strftime("%Y-%m-%d %H:%M"), visit.veteran.name, visit.street.name,
            visit.community.name, visit.grid.name, visit.get_method_display(), visit.get_kind_display(),
            visit.get_event_kind_display(), visit.campaign.name if visit.campaign else "", visit.findings,
            visit.needs, visit.money, visit.goods, visit.goods_value, "是" if visit.follow_up_needed else "否",
            visit.follow_up_by, visit.recorded_by.get_full_name() or visit.recorded_by.get_username(),
        ]  # fmt: skip


def visits_ledger_response(queryset: QuerySet[Visit], *, user, request=None):
    return xlsx_download(
        title="走访慰问台账", headers=HEADERS, rows=_rows(queryset), user=user, request=request,
        audit_detail={"ledger": "visits"},
    )  # fmt: skip
