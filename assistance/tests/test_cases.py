import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from assistance.models import CaseStatus, FundEntry, ReliefFund
from assistance.services import case_open, case_step, fund_receive
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran
from visits.services import visit_record


def open_case(tree, people, illness, amount="8400", veteran=None):
    veteran = veteran or make_veteran(tree["grid_a11"], name="朝阳里老兵")
    return case_open(
        veteran=veteran,
        case_type=illness,
        description="确诊结肠癌，住院治疗",
        reported_on=timezone.localdate(),
        amount_requested=amount,
        acting_user=people["worker"],
    )


def test_the_heping_story_end_to_end(tree, people, illness, fund, monkeypatch):
    """Learnt of on a visit, paid six days later: each step on its own day, by the clock."""
    payment_day = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)

    def on_day(days_before_payment: int) -> None:
        moment = payment_day - datetime.timedelta(days=days_before_payment)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    veteran = make_veteran(tree["grid_a11"], name="朝阳里老兵")
    on_day(6)
    visit, _ = visit_record(veteran=veteran, acting_user=people["worker"], method="home", findings="确诊结肠癌")
    reported_on = timezone.localtime(visit.visited_at).date()
    case = case_open(
        veteran=veteran,
        case_type=illness,
        description="走访发现确诊结肠癌",
        reported_on=reported_on,
        amount_requested="8400",
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    on_day(5)
    case_step(case=case, action="review", acting_user=people["station"], comment="情况属实")
    on_day(3)
    case_step(case=case, action="approve", acting_user=people["leader"], comment="同意")
    on_day(0)
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    case = case_step(case=case, action="close", acting_user=people["station"])
    fund.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.amount_approved == Decimal("8400.00")
    assert fund.balance == Decimal("1641600.00")
    assert case.payment.amount == Decimal("-8400.00") and case.payment.fund == fund
    assert reported_on == payment_day.date() - datetime.timedelta(days=6)
    assert case.days_to_payment == 6 and case.days_to_payment <= 7
    steps = [(s.action, (payment_day.date() - timezone.localtime(s.at).date()).days) for s in case.steps.all()]
    assert steps == [("submit", 6), ("review", 5), ("approve", 3), ("pay", 0), ("close", 0)]
    donation_to_payment = FundEntry.objects.filter(fund=fund).values_list("kind", "amount")
    assert list(donation_to_payment) == [("allocation", Decimal("1650000.00")), ("payment", Decimal("-8400.00"))]


def test_illegal_steps_are_refused_with_the_current_state(tree, people, illness, fund):
    case = open_case(tree, people, illness)
    with pytest.raises(ApplicationError, match="当前状态为“草稿”，不能“批准”"):
        case_step(case=case, action="approve", acting_user=people["leader"])
    case_step(case=case, action="submit", acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="不能“登记发放”"):
        case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    with pytest.raises(ApplicationError, match="没有“审核通过”的权限"):
        case_step(case=case, action="review", acting_user=people["worker"])
    with pytest.raises(ApplicationError, match="须填写意见"):
        case_step(case=case, action="return", acting_user=people["station"])


def test_return_resubmit_reject_and_withdraw_paths(tree, people, illness):
    case = open_case(tree, people, illness)
    case_step(case=case, action="submit", acting_user=people["worker"])
    case = case_step(case=case, action="return", acting_user=people["station"], comment="请补充诊断证明")
    assert case.status == CaseStatus.RETURNED
    case_step(case=case, action="submit", acting_user=people["worker"])
    case = case_step(case=case, action="reject", acting_user=people["station"], comment="不符合条件")
    assert case.status == CaseStatus.REJECTED
    other = open_case(tree, people, illness)
    assert case_step(case=other, action="withdraw", acting_user=people["worker"]).status == CaseStatus.WITHDRAWN


def test_station_approves_only_up_to_its_limit(tree, people, illness):
    small = open_case(tree, people, illness, amount="1500")
    case_step(case=small, action="submit", acting_user=people["worker"])
    case_step(case=small, action="review", acting_user=people["station"])
    assert case_step(case=small, action="approve", acting_user=people["station"]).status == CaseStatus.APPROVED
    big = open_case(tree, people, illness, amount="8400")
    case_step(case=big, action="submit", acting_user=people["worker"])
    case_step(case=big, action="review", acting_user=people["station"])
    with pytest.raises(ApplicationError, match=re.escape("超过服务站审批权限 ¥2,000.00")):
        case_step(case=big, action="approve", acting_user=people["station"])


def reviewed(tree, people, illness, amount, veteran=None):
    case = open_case(tree, people, illness, amount=amount, veteran=veteran)
    case_step(case=case, action="submit", acting_user=people["worker"])
    return case_step(case=case, action="review", acting_user=people["station"])


def test_yearly_cap_per_household_counts_what_was_paid(tree, people, illness, fund):
    veteran = make_veteran(tree["grid_a11"])
    first = reviewed(tree, people, illness, "8000", veteran)
    case_step(case=first, action="approve", acting_user=people["leader"])
    case_step(case=first, action="pay", acting_user=people["cashier"], fund=fund)
    second = reviewed(tree, people, illness, "3000", veteran)
    with pytest.raises(
        ApplicationError, match=re.escape("今年已发放 ¥8,000.00，已批准待发放 ¥0.00，还可批准 ¥2,000.00")
    ):
        case_step(case=second, action="approve", acting_user=people["leader"])
    assert case_step(
        case=second, action="approve", acting_user=people["leader"], amount="2000"
    ).amount_approved == Decimal("2000.00")


def test_special_hardship_needs_a_reason_and_the_bureau(tree, people, illness):
    case = reviewed(tree, people, illness, "15000")
    with pytest.raises(ApplicationError, match="单次最高金额"):
        case_step(case=case, action="approve", acting_user=people["leader"])
    with pytest.raises(ApplicationError, match="须填写理由"):
        case_step(case=case, action="approve", acting_user=people["leader"], special=True)
    with pytest.raises(ApplicationError, match="须由局领导批准"):
        case_step(case=case, action="approve", acting_user=people["station"], special=True, special_reason="重病")
    approved = case_step(
        case=case, action="approve", acting_user=people["leader"], special=True, special_reason="重病且低保"
    )
    assert approved.special and approved.amount_approved == Decimal("15000.00")
    with pytest.raises(ApplicationError, match=re.escape("每户每年上限 ¥20,000.00")):
        over = reviewed(tree, people, illness, "25000")
        case_step(case=over, action="approve", acting_user=people["leader"], special=True, special_reason="x")


def test_the_approver_cannot_record_the_payment(tree, people, illness, fund):
    case = reviewed(tree, people, illness, "1500")
    case_step(case=case, action="approve", acting_user=people["station"])
    with pytest.raises(ApplicationError, match="批准人不能同时登记发放"):
        case_step(case=case, action="pay", acting_user=people["station"], fund=fund)
    fund.refresh_from_db()
    assert fund.balance == Decimal("1650000.00")


def test_payment_larger_than_the_fund_is_refused_and_nothing_changes(tree, people, illness):
    poor = ReliefFund.objects.create(name="小基金", level="district", district=tree["district"])
    fund_receive(fund=poor, kind="allocation", amount="100", acting_user=people["cashier"])
    case = reviewed(tree, people, illness, "1500")
    case_step(case=case, action="approve", acting_user=people["leader"])
    with pytest.raises(ApplicationError, match="余额不足"):
        case_step(case=case, action="pay", acting_user=people["cashier"], fund=poor)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.payment is None


def test_cases_outside_scope_are_refused(tree, people, illness):
    case = open_case(tree, people, illness)
    outsider = make_staff(tree["community_b1"], role=Role.STATION_STAFF)
    case_step(case=case, action="submit", acting_user=people["worker"])
    with pytest.raises(ApplicationError) as error:
        case_step(case=case, action="review", acting_user=outsider)
    assert error.value.code == "out_of_scope"
    with pytest.raises(ApplicationError):
        case_open(
            veteran=make_veteran(tree["grid_b11"]),
            case_type=illness,
            description="x",
            reported_on=timezone.localdate(),
            amount_requested="100",
            acting_user=people["worker"],
        )


def test_reported_date_cannot_be_in_the_future(tree, people, illness):
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        case_open(
            veteran=make_veteran(tree["grid_a11"]),
            case_type=illness,
            description="x",
            reported_on=timezone.localdate() + datetime.timedelta(days=1),
            amount_requested="100",
            acting_user=people["worker"],
        )
