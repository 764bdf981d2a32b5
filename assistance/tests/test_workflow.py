"""Every path of the case workflow and every refusal: each refusal leaves the case, its steps and
the fund as they were."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from assistance.models import CaseStatus, FundEntry
from assistance.services import case_open, case_step
from core.errors import ApplicationError
from veterans.tests.factories import make_veteran


@pytest.fixture
def walk(tree, people, illness, fund):
    """A maker: a case of `amount` walked up to `status` by the right people."""
    paths = {
        CaseStatus.DRAFT: [],
        CaseStatus.SUBMITTED: [("submit", "worker", {})],
        CaseStatus.RETURNED: [("submit", "worker", {}), ("return", "station", {"comment": "请补充诊断证明"})],
        CaseStatus.REVIEWED: [("submit", "worker", {}), ("review", "station", {})],
        CaseStatus.APPROVED: [("submit", "worker", {}), ("review", "station", {}), ("approve", "leader", {})],
        CaseStatus.PAID: [
            ("submit", "worker", {}),
            ("review", "station", {}),
            ("approve", "leader", {}),
            ("pay", "cashier", {"fund": fund}),
        ],
    }

    def make(status, amount="1500"):
        case = case_open(
            veteran=make_veteran(tree["grid_a11"]),
            case_type=illness,
            description="困难",
            reported_on=timezone.localdate(),
            amount_requested=amount,
            acting_user=people["worker"],
        )
        for action, who, extra in paths[status]:
            case = case_step(case=case, action=action, acting_user=people[who], **extra)
        assert case.status == status
        return case

    return make


def assert_refused(case, match, **step):
    steps_before = list(case.steps.values_list("id", flat=True))
    status_before = case.status
    payments_before = FundEntry.objects.count()
    with pytest.raises(ApplicationError, match=match):
        case_step(case=case, **step)
    case.refresh_from_db()
    assert case.status == status_before
    assert list(case.steps.values_list("id", flat=True)) == steps_before
    assert FundEntry.objects.count() == payments_before


@pytest.mark.parametrize(
    ("action", "target"), [("return", CaseStatus.RETURNED), ("reject", CaseStatus.REJECTED)]
)  # fmt: skip
def test_station_returns_or_rejects_a_reviewed_case_with_a_comment(walk, people, action, target):
    case = walk(CaseStatus.REVIEWED)
    case = case_step(case=case, action=action, acting_user=people["station"], comment="诊断证明不清晰")
    case.refresh_from_db()
    step = case.steps.last()
    assert case.status == target
    assert (step.from_status, step.to_status, step.comment) == ("reviewed", target, "诊断证明不清晰")


@pytest.mark.parametrize("status", [CaseStatus.SUBMITTED, CaseStatus.RETURNED])
def test_the_worker_withdraws_a_submitted_or_returned_case(walk, people, status):
    case = walk(status)
    case_step(case=case, action="withdraw", acting_user=people["worker"], comment="家属已自行解决")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.steps.last().from_status == status


@pytest.mark.parametrize("status", [CaseStatus.SUBMITTED, CaseStatus.REVIEWED])
def test_rejecting_without_a_comment_is_refused(walk, people, status):
    assert_refused(walk(status), "“不予批准”须填写意见", action="reject", acting_user=people["station"], comment="  ")


def test_closing_before_payment_is_refused(walk, people):
    assert_refused(
        walk(CaseStatus.APPROVED), "当前状态为“已批准”，不能“办结”", action="close", acting_user=people["station"]
    )


def test_paying_twice_is_refused_and_the_fund_pays_once(walk, people, fund):
    case = walk(CaseStatus.PAID)
    assert_refused(case, "当前状态为“已发放”，不能“登记发放”", action="pay", acting_user=people["cashier"], fund=fund)
    fund.refresh_from_db()
    assert fund.balance == Decimal("1648500.00")


def test_withdrawing_after_approval_is_refused(walk, people):
    assert_refused(walk(CaseStatus.APPROVED), "不能“撤回”", action="withdraw", acting_user=people["worker"])


def test_an_unknown_action_is_refused(walk, people):
    assert_refused(walk(CaseStatus.REVIEWED), "未知操作", action="approve_all", acting_user=people["leader"])


def test_an_amount_below_the_types_minimum_is_refused(walk, people):
    case = walk(CaseStatus.REVIEWED, amount="400")
    assert_refused(case, re.escape("低于该类型单次最低金额 ¥500.00"), action="approve", acting_user=people["leader"])
    assert case.amount_approved is None
    approved = case_step(case=case, action="approve", acting_user=people["leader"], amount="500")
    assert approved.amount_approved == Decimal("500.00")


def test_station_may_approve_exactly_its_limit_but_not_a_fen_more(walk, people):
    at_limit = walk(CaseStatus.REVIEWED, amount="2000")
    approved = case_step(case=at_limit, action="approve", acting_user=people["station"])
    assert approved.status == CaseStatus.APPROVED and approved.amount_approved == Decimal("2000.00")
    above = walk(CaseStatus.REVIEWED, amount="2000.01")
    assert_refused(above, "超过服务站审批权限", action="approve", acting_user=people["station"])
