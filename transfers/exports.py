"""迁入迁出台账 as a streamed .xlsx (audited); ID numbers masked. The move-out package as a download."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.masking import mask_id_number
from exports.registry import Ledger, Requester
from exports.services import ledger_response
from transfers.models import Transfer
from transfers.selectors import direction_q

LEDGER_HEADERS = [
    gettext_noop("迁移编号"), gettext_noop("姓名"), gettext_noop("公民身份号码"), gettext_noop("状态"),
    gettext_noop("迁出区/县"), gettext_noop("迁出街道/镇"), gettext_noop("迁出社区/村"), gettext_noop("迁出网格"),
    gettext_noop("迁入区/县"), gettext_noop("迁入街道/镇"), gettext_noop("迁入社区/村"), gettext_noop("迁入网格"),
    gettext_noop("迁移原因"), gettext_noop("发起时间"), gettext_noop("处理时间"), gettext_noop("退回原因"),
]  # fmt: skip


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _ledger_rows(queryset: QuerySet[Transfer], requester: Requester):
    related = queryset.select_related(
        "veteran",
        "from_district",
        "from_street",
        "from_community",
        "from_grid",
        "to_district",
        "to_street",
        "to_community",
        "to_grid",
    )
    for transfer in related.order_by("id").iterator(chunk_size=2000):
        yield [
            transfer.pk,
            transfer.veteran.name,
            mask_id_number(transfer.veteran.id_number),
            transfer.get_status_display(),
            transfer.from_district.name,
            transfer.from_street.name,
            transfer.from_community.name,
            transfer.from_grid.name,
            transfer.to_district.name,
            transfer.to_street.name,
            transfer.to_community.name,
            transfer.to_grid.name,
            transfer.reason,
            _moment(transfer.started_at),
            _moment(transfer.decided_at),
            transfer.reject_reason,
        ]


def _either_end(user, queryset: QuerySet[Transfer]) -> QuerySet[Transfer]:
    """The worker scopes as transfers_for does: a transfer is the sending and the receiving side's,
    where scope_queryset alone would keep the sending side's only."""
    return queryset.filter(direction_q(user))


LEDGER = Ledger(
    key="transfers",
    title=lambda: _("迁入迁出台账"),
    header_names=LEDGER_HEADERS,
    rows=_ledger_rows,
    audit_detail={"ledger": "transfers"},
    scope=_either_end,
)


def transfers_ledger_response(queryset: QuerySet[Transfer], *, user, request=None):
    """The caller passes a queryset already scoped to `user` (transfers.selectors)."""
    return ledger_response(request, ledger_key=LEDGER.key, queryset=queryset, user=user)


def move_out_response(package: bytes, *, veteran) -> HttpResponse:
    """The package person_move_out built (and audited), sent as an attachment."""
    response = HttpResponse(package, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="move-out-{veteran.pk}.zip"'
    return response
