"""The hardship-case workflow: one table of allowed steps, one function that takes a step.

draft → submitted → reviewed (station) → approved (bureau, or station up to the type's limit)
→ paid (from a relief fund) → closed; also returned for more information, rejected, withdrawn.
Every step records who, when and a comment; anything else is refused with a message.

This module is the only writer of a case's status and its steps (HardshipCase.status, CaseStep),
including the step back when the fund payment of a case is reversed (case_payment_reversed,
called by funds.fund_reverse).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.models import (
    AttachmentKind,
    CaseAction,
    CaseAttachment,
    CaseStatus,
    CaseStep,
    CaseType,
    FundEntry,
    HardshipCase,
    ReliefFund,
)
from assistance.rules import (
    DECIDED_BY_ANOTHER,
    MONEY_RULES,
    OPEN,
    REVIEW,
    STEPS,
    check_fund_covers,
    may_take,
    sets_money_rules,
)
from assistance.selectors import case_applied_for_by, household_this_year
from assistance.services import funds as fund_ledger
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from core.money import yuan
from core.uploads.documents import check_document
from grids.scoping import in_scope, require_actor
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

S = CaseStatus
A = CaseAction


@transaction.atomic
def case_type_create(
    *, name: str, min_amount, max_amount, yearly_cap, special_ceiling, station_limit=None, acting_user
) -> CaseType:
    """A new kind of help. A station may add one, but not give itself approval rights: a type a
    station adds may be approved by the station for nothing (station limit ¥0), so every case of
    it goes to the bureau until the bureau sets the limit."""
    require_actor(acting_user)
    if not acting_user.has_perm("assistance.add_casetype"):
        raise ApplicationError(_("您没有新增救助类型的权限。"), code="forbidden")
    station_limit = Decimal(station_limit if station_limit is not None else 0)
    if station_limit != 0 and not sets_money_rules(acting_user):
        raise ApplicationError(
            _("服务站新增的救助类型，服务站可审批金额为零（均由局批准），由局设定。"),
            field="station_limit",
            code="forbidden",
        )
    case_type = CaseType(
        name=name.strip(),
        min_amount=min_amount,
        max_amount=max_amount,
        yearly_cap=yearly_cap,
        special_ceiling=special_ceiling,
        station_limit=station_limit,
    )
    if CaseType.objects.filter(name=case_type.name).exists():
        raise ApplicationError(_("已有名为“%(name)s”的救助类型。") % {"name": case_type.name}, field="name")
    full_clean_or_raise(case_type)
    case_type.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=case_type)
    return case_type


@transaction.atomic
def case_type_change(*, case_type: CaseType, acting_user, **changes) -> CaseType:
    """Rename a type, or (the bureau only) change its amount rules."""
    require_actor(acting_user)
    if not acting_user.has_perm("assistance.change_casetype"):
        raise ApplicationError(_("您没有修改救助类型的权限。"), code="forbidden")
    unknown = set(changes) - {"name", *MONEY_RULES}
    if unknown:
        raise ApplicationError(_("不能修改：%(fields)s。") % {"fields": "、".join(sorted(unknown))})
    locked = CaseType.objects.select_for_update().get(pk=case_type.pk)
    changed = {}
    for field, value in changes.items():
        value = value.strip() if field == "name" else Decimal(value)
        if getattr(locked, field) != value:
            changed[field] = (str(getattr(locked, field)), str(value))
            setattr(locked, field, value)
    if set(changed) & set(MONEY_RULES) and not sets_money_rules(acting_user):
        raise ApplicationError(
            _("救助类型的金额规则（含服务站可审批金额）由局设定，服务站不能修改。"),
            field=next(field for field in MONEY_RULES if field in changed),
            code="forbidden",
        )
    if "name" in changed and CaseType.objects.filter(name=locked.name).exclude(pk=locked.pk).exists():
        raise ApplicationError(_("已有名为“%(name)s”的救助类型。") % {"name": locked.name}, field="name")
    if not changed:
        return locked
    full_clean_or_raise(locked, validate_unique=False)
    locked.save(update_fields=list(changed))
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=locked, detail={"changed": changed})
    return locked


@transaction.atomic
def case_open(
    *,
    veteran: Veteran,
    case_type: CaseType,
    description: str,
    amount_requested,
    acting_user,
    reported_on: datetime.date | None = None,
    visit: Visit | None = None,
) -> HardshipCase:
    """Open a case, from a visit that found the hardship (its date is then the report date unless
    another is given) or on its own."""
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该退役军人不在您的管辖范围内。"), code="out_of_scope")
    if veteran.life_status != LifeStatus.ALIVE or veteran.removed_at is not None:
        raise ApplicationError(_("该档案当前状态不能申请救助。"))
    if visit is not None:
        if visit.veteran_id != veteran.pk:
            raise ApplicationError(_("所选走访不是对该退役军人的走访。"), field="visit")
        if reported_on is None:
            reported_on = timezone.localtime(visit.visited_at).date()
    if reported_on is None:
        raise ApplicationError(_("请填写首次获知日期。"), field="reported_on")
    if reported_on > timezone.localdate():
        raise ApplicationError(_("首次获知日期不能晚于今天。"), field="reported_on")
    amount = Decimal(amount_requested).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ApplicationError(_("申请金额必须大于零。"), field="amount_requested")
    case = HardshipCase(
        veteran=veteran,
        case_type=case_type,
        description=description,
        reported_on=reported_on,
        amount_requested=amount,
        opened_by=acting_user,
        visit=visit,
    )
    case.place_in_grid(veteran.grid)
    case.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=case)
    return case


def _lock_household(veteran_id: int) -> None:
    """Hold the veteran's row until commit, so two approvals or payments for one household are
    counted one after the other (the second sees the first): on PostgreSQL a row lock, and in
    READ COMMITTED the next statement reads what the first committed."""
    list(Veteran.objects.select_for_update().filter(pk=veteran_id).values_list("pk", flat=True))


def _ceiling(case: HardshipCase, special: bool) -> Decimal:
    return case.case_type.special_ceiling if special else case.case_type.yearly_cap


def check_caps(case: HardshipCase, amount: Decimal, *, special: bool, special_reason: str, acting_user) -> None:
    """Refuse an approval that breaks a rule, saying which rule and what is left."""
    require_actor(acting_user)
    rules = case.case_type
    if amount < rules.min_amount:
        raise ApplicationError(_("低于该类型单次最低金额 %(min)s。") % {"min": yuan(rules.min_amount)}, field="amount")
    if special:
        if not special_reason.strip():
            raise ApplicationError(_("特殊困难须填写理由。"), field="special_reason")
        if not acting_user.has_perm("assistance.approve_hardshipcase"):
            raise ApplicationError(_("特殊困难须由局领导批准。"), code="forbidden")
    elif amount > rules.max_amount:
        raise ApplicationError(
            _("超过该类型单次最高金额 %(max)s；确属特殊困难请勾选特殊困难并说明理由。")
            % {"max": yuan(rules.max_amount)},
            field="amount",
        )
    ceiling = _ceiling(case, special)
    _lock_household(case.veteran_id)
    paid, pending = household_this_year(case.veteran_id, timezone.localdate().year, excluding=case.pk)
    left = max(ceiling - paid - pending, Decimal("0"))
    if amount > left:
        raise ApplicationError(
            _("超过每户每年上限 %(cap)s：今年已发放 %(paid)s，已批准待发放 %(pending)s，还可批准 %(left)s。")
            % {"cap": yuan(ceiling), "paid": yuan(paid), "pending": yuan(pending), "left": yuan(left)},
            field="amount",
            code="yearly_cap",
        )
    if not acting_user.has_perm("assistance.approve_hardshipcase") and amount > rules.station_limit:
        raise ApplicationError(
            _("超过服务站审批权限 %(limit)s，须由局领导批准。") % {"limit": yuan(rules.station_limit)}, code="forbidden"
        )


@transaction.atomic
def case_step(
    *,
    case: HardshipCase,
    action: str,
    acting_user,
    comment: str = "",
    amount=None,
    special: bool = False,
    special_reason: str = "",
    fund: ReliefFund | None = None,
) -> HardshipCase:
    """Take one step of the workflow, or refuse it with the reason."""
    require_actor(acting_user)
    step = STEPS.get(action)
    if step is None:
        raise ApplicationError(_("未知操作。"))
    if not in_scope(acting_user, case):
        raise ApplicationError(_("该救助不在您的管辖范围内。"), code="out_of_scope")
    # Only the case row: a plain FOR UPDATE would also lock the shared case type and queue every
    # case of that type in the city behind this one.
    current = HardshipCase.objects.select_for_update(of=("self",)).select_related("case_type").get(pk=case.pk)
    if current.status not in step.sources:
        raise ApplicationError(
            _("当前状态为“%(status)s”，不能“%(action)s”。")
            % {"status": current.get_status_display(), "action": step.label}
        )
    if not may_take(acting_user, action):
        raise ApplicationError(_("您没有“%(action)s”的权限。") % {"action": step.label}, code="forbidden")
    if action in DECIDED_BY_ANOTHER and case_applied_for_by(case=current, user=acting_user):
        # Separation of duties: whoever opened or submitted a case does not also decide on it.
        raise ApplicationError(
            _("本件救助由您登记或提交，不能由您“%(action)s”，须由其他工作人员办理。") % {"action": step.label},
            code="forbidden",
        )
    if step.comment_required and not comment.strip():
        raise ApplicationError(_("“%(action)s”须填写意见。") % {"action": step.label}, field="comment")
    if action == "approve":
        _approve(current, amount, special, special_reason, acting_user)
    elif action == "pay":
        _pay(current, fund, acting_user)
    previous = current.status
    current.status = step.target
    current.save()
    CaseStep.objects.create(
        case=current, action=action, from_status=previous, to_status=step.target, actor=acting_user, comment=comment
    )
    audit_record(
        action=AuditAction.APPROVE if action == "approve" else AuditAction.UPDATE,
        actor=acting_user,
        obj=current,
        detail={"step": action, "from": previous, "to": step.target},
    )
    return current


def _approve(case: HardshipCase, amount, special: bool, special_reason: str, acting_user) -> None:
    amount = Decimal(amount if amount is not None else case.amount_requested).quantize(Decimal("0.01"))
    check_caps(case, amount, special=special, special_reason=special_reason, acting_user=acting_user)
    case.amount_approved = amount
    case.special, case.special_reason = special, special_reason.strip()
    case.approved_by, case.approved_at = acting_user, timezone.now()


def _pay(case: HardshipCase, fund: ReliefFund | None, acting_user) -> None:
    if fund is None:
        raise ApplicationError(_("请选择支出基金。"), field="fund")
    if case.approved_by_id == acting_user.pk:
        # Separation of duties: whoever approved does not also record the payment.
        raise ApplicationError(_("批准人不能同时登记发放。"), code="forbidden")
    if not in_scope(acting_user, fund):
        raise ApplicationError(_("该基金不在您的管辖范围内。"), field="fund", code="out_of_scope")
    check_fund_covers(fund, case)
    # The cap again, under the household's lock: approvals counted what was promised, but two
    # cases approved side by side (or one approved last year) must not both be paid past it.
    _lock_household(case.veteran_id)
    ceiling = _ceiling(case, case.special)
    paid, _pending = household_this_year(case.veteran_id, timezone.localdate().year, excluding=case.pk)
    left = max(ceiling - paid, Decimal("0"))
    if case.amount_approved > left:
        raise ApplicationError(
            _("发放 %(amount)s 将超过每户每年上限 %(cap)s：今年已发放 %(paid)s，还可发放 %(left)s。")
            % {"amount": yuan(case.amount_approved), "cap": yuan(ceiling), "paid": yuan(paid), "left": yuan(left)},
            field="amount",
            code="yearly_cap",
        )
    reference = _("%(type)s：%(name)s（救助编号 %(id)s）") % {
        "type": case.case_type.name,
        "name": case.veteran.name,
        "id": case.pk,
    }
    case.payment = fund_ledger.fund_pay(
        fund=fund, amount=case.amount_approved, acting_user=acting_user, reference=reference
    )
    case.fund, case.paid_at = fund, timezone.now()


@transaction.atomic
def case_payment_reversed(*, case: HardshipCase, reversal: FundEntry, reason: str, acting_user) -> HardshipCase:
    """The money of the case's payment went back (funds.fund_reverse, which locks the case before
    the fund, as paying does), so the case is approved but unpaid again: it leaves the household's
    paid total and the days-to-payment figures, and may be paid again. The case keeps pointing at
    the reversed payment (its page shows the money came back) until it is paid anew."""
    require_actor(acting_user)
    if case.payment_id is None or reversal.reverses_id != case.payment_id:
        raise ValueError(f"entry {reversal.pk} does not reverse the payment of case {case.pk}")
    previous = case.status
    case.status, case.paid_at = S.APPROVED, None
    case.save(update_fields=["status", "paid_at"])
    CaseStep.objects.create(
        case=case,
        action=A.REVERSE,
        from_status=previous,
        to_status=case.status,
        actor=acting_user,
        comment=reason.strip()[:500],
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=case,
        detail={"step": A.REVERSE.value, "from": previous, "to": case.status, "reversal": reversal.pk},
    )
    return case


@dataclass
class BatchReport:
    done: list[int]
    refused: list[tuple[HardshipCase, str]]


def cases_step_batch(*, cases, action: str, acting_user, **step_args) -> BatchReport:
    """The same step for many cases (a leader approving a list, a cashier paying it). Each case
    is its own short transaction, so a refusal stops only that case and no lock is held long."""
    require_actor(acting_user)
    report = BatchReport(done=[], refused=[])
    for case in cases:
        try:
            case_step(case=case, action=action, acting_user=acting_user, **step_args)
        except ApplicationError as error:
            report.refused.append((case, error.message))
        else:
            report.done.append(case.pk)
    return report


MAX_ATTACHMENTS = 20
ATTACHABLE = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.REVIEWED, S.APPROVED)


@transaction.atomic
def case_attach(*, case: HardshipCase, upload, kind: str, acting_user) -> CaseAttachment:
    """Add a diagnosis, invoice or other paper (PDF or image, checked by content) to a case."""
    if not in_scope(acting_user, case):
        raise ApplicationError(_("该救助不在您的管辖范围内。"), code="out_of_scope")
    if not (acting_user.has_perm(OPEN) or acting_user.has_perm(REVIEW)):
        raise ApplicationError(_("您没有上传救助材料的权限。"), code="forbidden")
    if kind not in AttachmentKind.values:
        raise ApplicationError(_("请选择材料类型。"), field="kind")
    locked = HardshipCase.objects.select_for_update().get(pk=case.pk)
    if locked.status not in ATTACHABLE:
        raise ApplicationError(
            _("当前状态为“%(status)s”，不能再上传材料。") % {"status": locked.get_status_display()}, field="file"
        )
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(_("每件救助最多上传 %(max)s 份材料。") % {"max": MAX_ATTACHMENTS}, field="file")
    checked = check_document(upload)
    if locked.attachments.filter(sha256=checked.sha256).exists():
        raise ApplicationError(_("“%(name)s”已上传过。") % {"name": upload.name}, field="file")
    attachment = CaseAttachment(
        case=locked,
        kind=kind,
        original_name=upload.name[:200],
        content_type=checked.content_type,
        size=checked.content.size,
        sha256=checked.sha256,
        uploaded_by=acting_user,
    )
    attachment.file.save(checked.content.name, checked.content, save=False)
    attachment.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=attachment, detail={"case": case.pk})
    return attachment


@transaction.atomic
def case_report(
    *,
    veteran: Veteran,
    case_type: CaseType,
    description: str,
    amount_requested,
    acting_user,
    reported_on: datetime.date | None = None,
    visit: Visit | None = None,
    papers=(),
    submit_now: bool = False,
) -> HardshipCase:
    """A hardship reported from the phone in one go: the case, its papers and, if asked, its
    submission to the station. All of it or nothing: a refused paper or submission leaves no case
    (papers should be checked before, as the phone's form does, since a stored file outlives a
    rolled-back row)."""
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description=description,
        amount_requested=amount_requested,
        reported_on=reported_on,
        visit=visit,
        acting_user=acting_user,
    )
    for paper in papers:
        case_attach(case=case, upload=paper, kind=AttachmentKind.OTHER, acting_user=acting_user)
    if submit_now:
        case = case_step(case=case, action=A.SUBMIT, acting_user=acting_user)
    return case
