"""救助发放台账 and fund statements as streamed .xlsx."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assistance.models import FundEntry, HardshipCase
from exports.registry import Ledger, Requester
from exports.services import ledger_response

CASE_HEADERS = [
    gettext_noop("救助编号"),
    gettext_noop("姓名"),
    gettext_noop("街道/镇"),
    gettext_noop("社区/村"),
    gettext_noop("网格"),
    gettext_noop("救助类型"),
    gettext_noop("状态"),
    gettext_noop("首次获知日期"),
    gettext_noop("申请金额（元）"),
    gettext_noop("批准金额（元）"),
    gettext_noop("特殊困难"),
    gettext_noop("批准时间"),
    gettext_noop("发放时间"),
    gettext_noop("支出基金"),
    gettext_noop("发放天数"),
]
FUND_HEADERS = [
    gettext_noop("时间"),
    gettext_noop("基金"),
    gettext_noop("类型"),
    gettext_noop("金额（元）"),
    gettext_noop("发生后余额（元）"),
    gettext_noop("捐赠方"),
    gettext_noop("收据编号"),
    gettext_noop("用途或依据"),
    gettext_noop("冲正的分录"),
    gettext_noop("经办人"),
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _case_rows(queryset: QuerySet[HardshipCase], requester: Requester):
    queryset = queryset.select_related("veteran", "street", "community", "grid", "case_type", "fund")
    for case in queryset.order_by("id").iterator(chunk_size=2000):
        yield [
            case.pk,
            case.veteran.name,
            case.street.name,
            case.community.name,
            case.grid.name,
            case.case_type.name,
            case.get_status_display(),
            case.reported_on,
            case.amount_requested,
            case.amount_approved,
            _("是") if case.special else _("否"),
            _when(case.approved_at),
            _when(case.paid_at),
            case.fund.name if case.fund else "",
            case.days_to_payment,
        ]


def _fund_rows(queryset: QuerySet[FundEntry], requester: Requester):
    for entry in queryset.select_related("fund", "created_by").order_by("fund_id", "id").iterator(chunk_size=2000):
        yield [
            _when(entry.created_at),
            entry.fund.name,
            entry.get_kind_display(),
            entry.amount,
            entry.balance_after,
            entry.donor_name or entry.get_donor_kind_display(),
            entry.receipt_no,
            entry.reference,
            entry.reverses_id or "",
            entry.created_by.get_full_name() or entry.created_by.get_username(),
        ]


CASES_LEDGER = Ledger(
    key="assistance:cases",
    title=lambda: _("救助发放台账"),
    header_names=CASE_HEADERS,
    rows=_case_rows,
    audit_detail={"ledger": "relief_payments"},
)


def cases_ledger_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=CASES_LEDGER.key, queryset=queryset, user=user)


FUND_LEDGER = Ledger(
    key="assistance:fund_statement",
    title=lambda: _("基金收支明细"),
    header_names=FUND_HEADERS,
    rows=_fund_rows,
    audit_detail={"ledger": "fund_statement"},
)


def fund_statement_response(queryset, *, user, request=None):
    """The file when small, else a background job on the exports queue (exports app)."""
    return ledger_response(request, ledger_key=FUND_LEDGER.key, queryset=queryset, user=user)
