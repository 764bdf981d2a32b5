"""救助发放台账 and fund statements as streamed .xlsx."""

from django.db.models import QuerySet
from django.utils import timezone

from assistance.models import FundEntry, HardshipCase
from core.exports import xlsx_download

CASE_HEADERS = [
    "救助编号", "姓名", "街道/镇", "社区/村", "网格", "救助类型", "状态", "首次获知日期", "申请金额（元）",
    "批准金额（元）", "特殊困难", "批准时间", "发放时间", "支出基金", "发放天数",
]  # fmt: skip
FUND_HEADERS = [
    "时间",
    "基金",
    "类型",
    "金额（元）",
    "发生后余额（元）",
    "捐赠方",
    "收据编号",
    "用途或依据",
    "冲正的分录",
    "经办人",
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _case_rows(queryset: QuerySet[HardshipCase]):
    queryset = queryset.select_related("veteran", "street", "community", "grid", "case_type", "fund")
    for case in queryset.order_by("id").iterator(chunk_size=2000):
        yield [
            case.pk, case.veteran.name, case.street.name, case.community.name, case.grid.name, case.case_type.name,
            case.get_status_display(), case.reported_on, case.amount_requested, case.amount_approved,
            "是" if case.special else "否", _when(case.approved_at), _when(case.paid_at),
            case.fund.name if case.fund else "", case.days_to_payment,
        ]  # fmt: skip


def _fund_rows(queryset: QuerySet[FundEntry]):
    for entry in queryset.select_related("fund", "created_by").order_by("fund_id", "id").iterator(chunk_size=2000):
        yield [
            _when(entry.created_at), entry.fund.name, entry.get_kind_display(), entry.amount, entry.balance_after,
            entry.donor_name or entry.get_donor_kind_display(), entry.receipt_no, entry.reference,
            entry.reverses_id or "", entry.created_by.get_full_name() or entry.created_by.get_username(),
        ]  # fmt: skip


def cases_ledger_response(queryset, *, user, request=None):
    return xlsx_download(
        title="救助发放台账", headers=CASE_HEADERS, rows=_case_rows(queryset), user=user, request=request,
        audit_detail={"ledger": "relief_payments"},
    )  # fmt: skip


def fund_statement_response(queryset, *, user, request=None):
    return xlsx_download(
        title="基金收支明细", headers=FUND_HEADERS, rows=_fund_rows(queryset), user=user, request=request,
        audit_detail={"ledger": "fund_statement"},
    )  # fmt: skip
