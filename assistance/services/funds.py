"""Money in and out of relief funds. Every change locks the fund row first (SELECT ... FOR
UPDATE on PostgreSQL), so two approvals racing for the last yuan cannot both pay.

Payments draw on the oldest unspent income first and record each draw, so every yuan can be
followed from the donation or allocation to the case it paid. A case's status and steps are
written by assistance.services.cases only; reversing a payment that paid a case asks it to
take the case back to approved-but-unpaid."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.models import (
    DonorKind,
    EntryKind,
    FundDraw,
    FundEntry,
    FundSource,
    HardshipCase,
    ReliefFund,
)

# cases sits above funds (it pays through fund_pay) and is imported first by the package; the
# module, not its names, is imported here so that the two may refer to each other.
from assistance.rules import fund_owner
from assistance.services import cases as case_workflow
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.money import yuan
from grids.scoping import in_scope, require_actor

MAX_ENTRY = Decimal("100000000")
INCOME = (EntryKind.ALLOCATION, EntryKind.DONATION)


@transaction.atomic
def fund_create(*, name: str, level: str, district=None, street=None, acting_user) -> ReliefFund:
    """A new fund owned by the area its level names: the city for a city or province fund (only
    a city-wide user sets one up), a district, or a street (its district is taken from it)."""
    require_actor(acting_user)
    district, street = fund_owner(level=level, district=district, street=street)
    fund = ReliefFund(name=name.strip(), level=level, district=district, street=street)
    if not in_scope(acting_user, fund.owner_area):
        if district is None:
            raise ApplicationError(_("市级、省级基金只能由全市范围的账号设立。"), code="out_of_scope")
        raise ApplicationError(_("该区域不在您的管辖范围内。"), code="out_of_scope")
    if ReliefFund.objects.filter(district=district, name=fund.name).exists():
        if district is None:
            raise ApplicationError(_("全市已有名为“%(name)s”的基金。") % {"name": fund.name}, field="name")
        raise ApplicationError(_("本区/县已有名为“%(name)s”的基金。") % {"name": fund.name}, field="name")
    full_clean_or_raise(fund)
    fund.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=fund)
    return fund


def _amount(value) -> Decimal:
    amount = Decimal(value).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ApplicationError(_("金额必须大于零。"), field="amount")
    if amount > MAX_ENTRY:
        raise ApplicationError(_("金额超过单笔上限 %(max)s。") % {"max": yuan(MAX_ENTRY)}, field="amount")
    return amount


def _locked_fund(fund: ReliefFund, acting_user) -> ReliefFund:
    if not in_scope(acting_user, fund):
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
    *,
    fund: ReliefFund,
    kind: str,
    amount,
    acting_user,
    donor_kind: str = "",
    donor_name: str = "",
    receipt_no: str = "",
    reference: str = "",
) -> FundEntry:
    """Money in: a fiscal allocation or a donation (a receipt number is given out if none is typed)."""
    require_actor(acting_user)
    if kind not in INCOME:
        raise ApplicationError(_("收入类型只能是财政拨款或社会捐赠。"), field="kind")
    receipt_no = receipt_no.strip()
    if kind == EntryKind.DONATION:
        if donor_kind not in DonorKind.values:
            raise ApplicationError(_("请选择捐赠方类型。"), field="donor_kind")
        if donor_kind != DonorKind.ANONYMOUS and not donor_name.strip():
            raise ApplicationError(_("请填写捐赠方名称（匿名捐赠可不填）。"), field="donor_name")
    amount = _amount(amount)
    locked = _locked_fund(fund, acting_user)
    if kind == EntryKind.DONATION and not receipt_no:
        receipt_no = _next_receipt_no(locked)
    if receipt_no and FundEntry.objects.filter(fund=locked, receipt_no=receipt_no).exists():
        raise ApplicationError(_("收据编号 %(no)s 已登记过。") % {"no": receipt_no}, field="receipt_no")
    entry = _append(
        locked,
        kind=kind,
        signed=amount,
        acting_user=acting_user,
        donor_kind=donor_kind,
        donor_name="" if donor_kind == DonorKind.ANONYMOUS else donor_name.strip(),
        receipt_no=receipt_no,
        reference=reference,
    )
    FundSource.objects.create(entry=entry, fund=locked, remaining=entry.amount)
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=entry, detail={"amount": str(entry.amount)})
    return entry


def _next_receipt_no(fund: ReliefFund) -> str:
    """JZ + year + fund + sequence within the year, e.g. JZ2026-0003-00012 (under the fund lock)."""
    year = timezone.localdate().year
    prefix = f"JZ{year}-{fund.pk:04d}-"
    taken = FundEntry.objects.filter(fund=fund, receipt_no__startswith=prefix).count()
    return f"{prefix}{taken + 1:05d}"


@transaction.atomic
def fund_pay(*, fund: ReliefFund, amount, acting_user, reference: str) -> FundEntry:
    """Money out. Refused, with the amount left, when the fund cannot cover it."""
    locked = _locked_fund(fund, acting_user)
    entry = _append(
        locked, kind=EntryKind.PAYMENT, signed=-_amount(amount), acting_user=acting_user, reference=reference
    )
    _draw_oldest_first(locked, entry)
    audit_record(action=AuditAction.PAY, actor=acting_user, obj=entry, detail={"amount": str(entry.amount)})
    return entry


def _draw_oldest_first(fund: ReliefFund, payment: FundEntry) -> None:
    """Take the payment from the oldest unspent income; the balance check guarantees enough."""
    needed = -payment.amount
    draws, touched = [], []
    for source in FundSource.objects.filter(fund=fund, remaining__gt=0).order_by("entry_id").iterator(chunk_size=50):
        taken = min(source.remaining, needed)
        draws.append(FundDraw(entry=payment, source_id=source.entry_id, amount=taken))
        source.remaining -= taken
        touched.append(source)
        needed -= taken
        if needed == 0:
            break
    if needed != 0:  # the sources disagree with the balance: never pay from a broken ledger
        raise ApplicationError(_("基金来源明细与余额不一致，请联系系统管理员。"), code="ledger_mismatch")
    FundDraw.objects.bulk_create(draws)
    FundSource.objects.bulk_update(touched, ["remaining"])


@transaction.atomic
def fund_reverse(*, entry: FundEntry, reason: str, acting_user) -> FundEntry:
    """Correct a mistake with an opposite entry that points at it; each entry once. A reversed
    payment gives its money back to the incomes it came from, and the case it paid goes back to
    approved-but-unpaid (cases.case_payment_reversed); an income can be reversed only while none
    of it has been spent."""
    require_actor(acting_user)
    if not reason.strip():
        raise ApplicationError(_("冲正必须填写原因。"), field="reason")
    if not in_scope(acting_user, entry.fund):
        raise ApplicationError(_("该基金不在您的管辖范围内。"), code="out_of_scope")
    # The case before the fund: paying a case locks them in that order too.
    case = (
        HardshipCase.objects.select_for_update().filter(payment=entry).first()
        if entry.kind == EntryKind.PAYMENT
        else None
    )
    locked = _locked_fund(entry.fund, acting_user)
    if entry.kind == EntryKind.REVERSAL:
        raise ApplicationError(_("冲正分录不能再冲正。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError(_("该分录已冲正。"))
    if entry.kind in INCOME:
        source = FundSource.objects.get(entry=entry)
        if source.remaining != entry.amount:
            raise ApplicationError(
                _("该笔收入已有 %(spent)s 用于救助发放，不能冲正；请先冲正相应的发放。")
                % {"spent": yuan(entry.amount - source.remaining)}
            )
    reversal = _append(
        locked,
        kind=EntryKind.REVERSAL,
        signed=-entry.amount,
        acting_user=acting_user,
        reverses=entry,
        reference=reason.strip()[:200],
    )
    if entry.kind in INCOME:
        FundSource.objects.filter(entry=entry).update(remaining=0)
    else:
        _give_back(entry, reversal)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=reversal, detail={"reverses": entry.pk})
    if case is not None:
        case_workflow.case_payment_reversed(case=case, reversal=reversal, reason=reason, acting_user=acting_user)
    return reversal


def _give_back(payment: FundEntry, reversal: FundEntry) -> None:
    draws = list(FundDraw.objects.filter(entry=payment))
    FundDraw.objects.bulk_create([FundDraw(entry=reversal, source_id=d.source_id, amount=-d.amount) for d in draws])
    sources = FundSource.objects.in_bulk([d.source_id for d in draws])
    for draw in draws:
        sources[draw.source_id].remaining += draw.amount
    FundSource.objects.bulk_update(sources.values(), ["remaining"])
