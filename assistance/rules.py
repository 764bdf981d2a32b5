"""The rules of help that decide without writing: the table of case steps and who may take
them, who sets the money rules of case types, which area a fund belongs to and which cases it
may pay. The services enforce them; pages, the API and the admin ask them what to offer."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assistance.models import CITY_WIDE_LEVELS, CaseAction, CaseStatus, FundLevel, HardshipCase, ReliefFund
from assistance.selectors import case_applied_for_by
from core.errors import ApplicationError
from grids.models import AreaLevel
from grids.scoping import user_scope

S = CaseStatus


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    comment_required: bool = False


OPEN, REVIEW, PAY = "assistance.add_hardshipcase", "assistance.review_hardshipcase", "assistance.pay_hardshipcase"

A = CaseAction
STEPS = {
    A.SUBMIT: Step(A.SUBMIT.label, (S.DRAFT, S.RETURNED), S.SUBMITTED, OPEN),
    A.RETURN: Step(A.RETURN.label, (S.SUBMITTED, S.REVIEWED), S.RETURNED, REVIEW, True),
    A.REVIEW: Step(A.REVIEW.label, (S.SUBMITTED,), S.REVIEWED, REVIEW),
    A.APPROVE: Step(A.APPROVE.label, (S.REVIEWED,), S.APPROVED, REVIEW),
    A.REJECT: Step(A.REJECT.label, (S.SUBMITTED, S.REVIEWED), S.REJECTED, REVIEW, True),
    A.WITHDRAW: Step(A.WITHDRAW.label, (S.DRAFT, S.SUBMITTED, S.RETURNED), S.WITHDRAWN, OPEN),
    A.PAY: Step(A.PAY.label, (S.APPROVED,), S.PAID, PAY),
    A.CLOSE: Step(A.CLOSE.label, (S.PAID,), S.CLOSED, REVIEW),
}  # fmt: skip


# Steps that decide on the application; whoever opened or submitted it may not take them.
DECIDED_BY_ANOTHER = (A.REVIEW, A.APPROVE)


def may_take(user, action: str) -> bool:
    step = STEPS[action]
    return user.has_perm(step.permission) or (action == "approve" and user.has_perm("assistance.approve_hardshipcase"))


def steps_available(user, case: HardshipCase) -> list[tuple[str, Step]]:
    """The steps this user could take on the case now (the service still checks the rules); not
    the decisions on their own application, nor the payment of what they approved."""
    steps = [(name, step) for name, step in STEPS.items() if case.status in step.sources and may_take(user, name)]
    if any(name in DECIDED_BY_ANOTHER for name, _step in steps) and case_applied_for_by(case=case, user=user):
        steps = [(name, step) for name, step in steps if name not in DECIDED_BY_ANOTHER]
    if case.approved_by_id == user.pk:
        steps = [(name, step) for name, step in steps if name != A.PAY]
    return steps


MONEY_RULES = ("min_amount", "max_amount", "yearly_cap", "special_ceiling", "station_limit")


def sets_money_rules(user) -> bool:
    """Case types are shared by every district, and their amounts decide what is paid and what a
    station may approve alone; only the bureau (a district- or city-wide account) sets them."""
    scope = user_scope(user)
    return scope is not None and scope.level in (AreaLevel.CITY, AreaLevel.DISTRICT)


def fund_owner(*, level: str, district=None, street=None):
    """The (district, street) keys a fund of `level` is owned by, or the reason they do not fit;
    the admin form asks this too, so the message stands beside the field concerned."""
    if level not in FundLevel.values:
        raise ApplicationError(_("请选择基金级别。"), field="level")
    if level in CITY_WIDE_LEVELS:
        if district is not None or street is not None:
            raise ApplicationError(
                _("市级、省级基金属于全市，不选择区/县或街道/镇。"), field="district" if district else "street"
            )
    elif level == FundLevel.DISTRICT:
        if district is None:
            raise ApplicationError(_("区/县级基金须选择所属区/县。"), field="district")
        if street is not None:
            raise ApplicationError(_("区/县级基金不选择街道/镇；属于街道/镇的基金请选街道/镇级。"), field="street")
    else:
        if street is None:
            raise ApplicationError(_("街道/镇级基金须选择所属街道/镇。"), field="street")
        if district is not None and street.district_id != district.pk:
            raise ApplicationError(_("所选街道/镇不属于该区/县。"), field="street")
        district = street.district
    return district, street


def fund_covers(fund: ReliefFund, case: HardshipCase) -> bool:
    """Whether the fund may pay the case: a city fund any case, a district fund the cases of its
    district, a street fund the cases of its street."""
    if fund.street_id is not None:
        return case.street_id == fund.street_id
    if fund.district_id is not None:
        return case.district_id == fund.district_id
    return True


def check_fund_covers(fund: ReliefFund, case: HardshipCase) -> None:
    if not fund_covers(fund, case):
        raise ApplicationError(
            _("“%(fund)s”是%(owner)s的基金，只能支付%(owner)s的救助；本件救助属于%(area)s。")
            % {"fund": fund.name, "owner": fund.owner_area, "area": case.street if fund.street_id else case.district},
            field="fund",
            code="fund_area",
        )
