"""Money in and out of relief funds. Every change locks the fund row first (SELECT ... FOR
UPDATE on PostgreSQL), so two approvals racing for the last yuan cannot both pay."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assistance.models import DonorKind, EntryKind, FundEntry, ReliefFund
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from core.templatetags.vg import yuan
from grids.scoping import in_scope

MAX_ENTRY = Decimal("100000000")


def _amount(value) -> Decimal:
    amount = Decimal(value).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ApplicationError(_("金额必须大于零。"), field="amount")
    if amount > MAX_ENTRY:
        raise ApplicationError(_("金额超过单笔上限 %(max)s。") % {"max": yuan(MAX_ENTRY)}, field="amount")
    return amount


def _locked_fund(fund: ReliefFund, acting_user) -> ReliefFund:
    if acting_user is not None and not in_scope(acting_user, fund):
        raise ApplicationError(_("该基金不在您的管辖范围内。"), code="out_of_scope")
    return ReliefFund.objects.select_for_update().get(pk=fund.pk)


def _append(fund: ReliefFund, *, kind: str, signed: Decimal, acting_user, **fields) -> FundEntry:
    new_balance = fund.balance + signed
    if new_balance < 0:
        raise ApplicationError(
            _("余额不足：%(fund)s 剩余 %(left)s，本次需要 %(need)s。")
            % {"fund": fund.name, "left": yuan(fund.balance), "need": yuan(-signed)},
            field="amount",
            code="insufficient_funds",
        )
    entry = FundEntry.objects.create(
        fund=fund, kind=kind, amount=signed, balance_after=new_balance, created_by=acting_user, **fields
    )
    fund.balance = new_balance
    fund.save(update_fields=["balance"])
    return entry


@transaction.atomic
def fund_receive(
    *, fund: ReliefFund, kind: str, amount, acting_user, donor_kind: str = "", donor_name: str = "",
    receipt_no: str = "", reference: str = "",
) -> FundEntry:  # fmt: skip
    """Money in: a fiscal allocation or a donation (with its receipt number)."""
    if kind not in (EntryKind.ALLOCATION, EntryKind.DONATION):
        raise ApplicationError(_("收入类型只能是财政拨款或社会捐赠。"), field="kind")
    if kind == EntryKind.DONATION:
        if donor_kind not in DonorKind.values:
            raise ApplicationError(_("请选择捐赠方类型。"), field="donor_kind")
        if donor_kind != DonorKind.ANONYMOUS and not donor_name.strip():
            raise ApplicationError(_("请填写捐赠方名称（匿名捐赠可不填）。"), field="donor_name")
        if not receipt_no.strip():
            raise ApplicationError(_("捐赠须填写收据编号。"), field="receipt_no")
        if FundEntry.objects.filter(fund=fund, receipt_no=receipt_no.strip()).exists():
            raise ApplicationError(_("收据编号 %(no)s 已登记过。") % {"no": receipt_no}, field="receipt_no")
    locked = _locked_fund(fund, acting_user)
    entry = _append(
        locked, kind=kind, signed=_amount(amount), acting_user=acting_user, donor_kind=donor_kind,
        donor_name="" if donor_kind == DonorKind.ANONYMOUS else donor_name.strip(), receipt_no=receipt_no.strip(),
        reference=reference,
    )  # fmt: skip
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=entry, detail={"amount": str(entry.amount)})
    return entry


@transaction.atomic
def fund_pay(*, fund: ReliefFund, amount, acting_user, reference: str) -> FundEntry:
    """Money out. Refused, with the amount left, when the fund cannot cover it."""
    locked = _locked_fund(fund, acting_user)
    entry = _append(
        locked, kind=EntryKind.PAYMENT, signed=-_amount(amount), acting_user=acting_user, reference=reference
    )
    audit_record(action=AuditAction.PAY, actor=acting_user, obj=entry, detail={"amount": str(entry.amount)})
    return entry


@transaction.atomic
def fund_reverse(*, entry: FundEntry, reason: str, acting_user) -> FundEntry:
    """Correct a mistake with an opposite entry that points at it; each entry once."""
    if not reason.strip():
        raise ApplicationError(_("冲正必须填写原因。"), field="reason")
    locked = _locked_fund(entry.fund, acting_user)
    if entry.kind == EntryKind.REVERSAL:
        raise ApplicationError(_("冲正分录不能再冲正。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError(_("该分录已冲正。"))
    reversal = _append(
        locked, kind=EntryKind.REVERSAL, signed=-entry.amount, acting_user=acting_user, reverses=entry,
        reference=reason.strip()[:200],
    )  # fmt: skip
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=reversal, detail={"reverses": entry.pk})
    return reversal
