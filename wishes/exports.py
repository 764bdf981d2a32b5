"""微心愿台账 as a streamed .xlsx; ID numbers and donors' phones masked."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.masking import mask_id_number, mask_phone
from exports.registry import Ledger, Requester
from exports.services import ledger_response
from wishes.models import MicroWish

HEADERS = [
    gettext_noop("心愿编号"), gettext_noop("姓名"), gettext_noop("公民身份号码"), gettext_noop("街道/镇"),
    gettext_noop("社区/村"), gettext_noop("网格"), gettext_noop("心愿"), gettext_noop("预估价值（元）"),
    gettext_noop("状态"), gettext_noop("收集日期"), gettext_noop("收集人"), gettext_noop("认领方类型"),
    gettext_noop("认领方"), gettext_noop("认领方电话"), gettext_noop("认领日期"), gettext_noop("实现日期"),
    gettext_noop("实现情况"), gettext_noop("有实现照片"), gettext_noop("确认销号时间"), gettext_noop("取消原因"),
]  # fmt: skip


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _rows(queryset: QuerySet[MicroWish], requester: Requester):
    yes, no = _("是"), _("否")
    related = queryset.select_related("veteran", "street", "community", "grid", "collected_by")
    for wish in related.order_by("id").iterator(chunk_size=2000):
        confirmed = timezone.localtime(wish.confirmed_at).strftime("%Y-%m-%d %H:%M") if wish.confirmed_at else ""
        yield [
            wish.pk,
            wish.veteran.name,
            mask_id_number(wish.veteran.id_number),
            wish.street.name,
            wish.community.name,
            wish.grid.name,
            wish.title,
            wish.estimated_value,
            wish.get_status_display(),
            wish.collected_on,
            _person(wish.collected_by),
            wish.get_donor_kind_display(),
            wish.donor_name,
            mask_phone(wish.donor_phone),
            wish.claimed_on,
            wish.fulfilled_on,
            wish.fulfilment_note,
            yes if wish.photo else no,
            confirmed,
            wish.cancel_reason,
        ]


LEDGER = Ledger(
    key="wishes",
    title=lambda: _("微心愿台账"),
    header_names=HEADERS,
    rows=_rows,
    audit_detail={"ledger": "micro_wishes"},
)


def wishes_ledger_response(queryset: QuerySet[MicroWish], *, user, request=None):
    """The caller passes a queryset already scoped to `user` (admin changelist or a selector)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)
