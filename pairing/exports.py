"""结对帮扶台账 as a streamed .xlsx: one row per pair with what it did (contacts, gifts, their
value in yuan). Phones masked, as in the other ledgers."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.masking import mask_phone
from exports.registry import Ledger, Requester
from exports.services import ledger_response
from pairing.models import Pair, PairContact, PairGift

HEADERS = [
    gettext_noop("编号"), gettext_noop("姓名"), gettext_noop("街道/镇"), gettext_noop("社区/村"),
    gettext_noop("网格"), gettext_noop("结对方类别"), gettext_noop("结对人"), gettext_noop("所在单位/企业"),
    gettext_noop("联系电话"), gettext_noop("结对日期"), gettext_noop("解除日期"), gettext_noop("解除原因"),
    gettext_noop("状态"), gettext_noop("走访次数"), gettext_noop("最近走访日期"), gettext_noop("帮扶次数"),
    gettext_noop("帮扶折合金额（元）"),
]  # fmt: skip


def _per_pair(model, expression, output_field):
    """One aggregate of `model` rows per pair, as a subquery (two joins would multiply the rows)."""
    rows = model.objects.filter(pair=OuterRef("pk")).order_by().values("pair")
    return Subquery(rows.annotate(result=expression).values("result"), output_field=output_field)


def with_activity(queryset: QuerySet[Pair]) -> QuerySet[Pair]:
    money = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(
        contact_count=Coalesce(_per_pair(PairContact, Count("pk"), IntegerField()), Value(0)),
        last_contact_on=_per_pair(PairContact, Max("contacted_on"), PairContact._meta.get_field("contacted_on")),
        gift_count=Coalesce(_per_pair(PairGift, Count("pk"), IntegerField()), Value(0)),
        gift_value=Coalesce(_per_pair(PairGift, Sum("value"), money), Value(Decimal("0")), output_field=money),
    )


def _rows(queryset: QuerySet[Pair], requester: Requester):
    queryset = with_activity(queryset.select_related("veteran", "street", "community", "grid"))
    for pair in queryset.order_by("started_on", "id").iterator(chunk_size=2000):
        yield [
            pair.pk,
            pair.veteran.name,
            pair.street.name,
            pair.community.name,
            pair.grid.name,
            pair.get_partner_kind_display(),
            pair.partner_name,
            pair.partner_organisation,
            mask_phone(pair.contact_phone),
            pair.started_on,
            pair.ended_on,
            pair.get_end_reason_display(),
            _("结对中") if pair.active else _("已解除"),
            pair.contact_count,
            pair.last_contact_on,
            pair.gift_count,
            Decimal(pair.gift_value).quantize(Decimal("0.01")),
        ]


LEDGER = Ledger(
    key="pairing",
    title=lambda: _("结对帮扶台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "pairing"},
)


def pairs_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
