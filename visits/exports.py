"""走访慰问台账: the visits ledger as a streamed .xlsx."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exports.registry import Ledger, Requester
from exports.services import ledger_response
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


# What the ledger reads: plain columns through the joins, no model objects (a district's ledger
# is hundreds of thousands of rows; building objects and their display methods cost a third).
_COLUMNS = (
    "visited_at", "veteran__name", "street__name", "community__name", "grid__name", "method", "kind",
    "event_kind", "campaign__name", "findings", "needs", "money", "goods", "goods_value", "follow_up_needed",
    "follow_up_by", "recorded_by__first_name", "recorded_by__last_name", "recorded_by__username",
)  # fmt: skip


def _labels(field_name: str) -> dict:
    return {value: str(label) for value, label in Visit._meta.get_field(field_name).choices}


def _rows(queryset: QuerySet[Visit], requester: Requester):
    methods, kinds, events = _labels("method"), _labels("kind"), _labels("event_kind")
    yes, no = _("是"), _("否")
    zone = timezone.get_current_timezone()
    rows = queryset.order_by("visited_at", "id").values_list(*_COLUMNS).iterator(chunk_size=5000)
    for (at, name, street, community, grid, method, kind, event, campaign, findings, needs, money, goods,
         goods_value, follow_up, follow_up_by, first, last, username) in rows:  # fmt: skip
        recorder = f"{first} {last}".strip() or username
        yield [
            at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), name, street, community, grid, methods.get(method, ""),
            kinds.get(kind, ""), events.get(event, ""), campaign or "", findings, needs, money, goods, goods_value,
            yes if follow_up else no, follow_up_by, recorder,
        ]  # fmt: skip


def _title() -> str:
    return _("走访慰问台账")


LEDGER = Ledger(key="visits", title=_title, header_names=HEADERS, rows=_rows, audit_detail={"ledger": "visits"})


def visits_ledger_response(queryset: QuerySet[Visit], *, request):
    """The file at once when small; else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset)
