"""The household's yearly cap holds whatever the order of approvals and payments, also when two
payments race on PostgreSQL; a reversed payment stops counting as paid."""

import contextlib
import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from assistance.models import CaseStatus, CaseStep, CaseType, FundEntry, HardshipCase, ReliefFund
from assistance.services import case_open, case_step, fund_receive, fund_reverse
from assistance.services import cases as cases_module
from assistance.tests.factories import CaseTypeFactory
from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


@pytest.fixture
def wider():
    """A second type whose own cap is higher: a household may get both kinds of help."""
    return CaseTypeFactory(
        name="测试用临时困难", min_amount=Decimal("100"), yearly_cap=Decimal("20000"), station_limit=Decimal("0")
    )


def reviewed(people, case_type, amount, veteran):
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested=amount,
        acting_user=people["worker"],
    )
    case_step(case=case, action="submit", acting_user=people["worker"])
    return case_step(case=case, action="review", acting_user=people["station"])


def approved(people, case_type, amount, veteran):
    case = reviewed(people, case_type, amount, veteran)
    return case_step(case=case, action="approve", acting_user=people["leader"])


def test_an_approved_unpaid_case_counts_toward_the_cap_of_the_next_approval(tree, people, illness):
    veteran = make_veteran(tree["grid_a11"])
    approved(people, illness, "8000", veteran)
    second = reviewed(people, illness, "8000", veteran)
    with pytest.raises(
        ApplicationError, match=re.escape("今年已发放 ¥0.00，已批准待发放 ¥8,000.00，还可批准 ¥2,000.00")
    ) as error:
        case_step(case=second, action="approve", acting_user=people["leader"])
    assert error.value.code == "yearly_cap"
    second.refresh_from_db()
    assert second.status == CaseStatus.REVIEWED and second.amount_approved is None
    assert not CaseStep.objects.filter(case=second, action="approve").exists()


def test_a_paid_case_counts_toward_the_cap_of_the_next_approval(tree, people, illness, fund):
    veteran = make_veteran(tree["grid_a11"])
    first = approved(people, illness, "8000", veteran)
    case_step(case=first, action="pay", acting_user=people["cashier"], fund=fund)
    second = reviewed(people, illness, "8000", veteran)
    with pytest.raises(
        ApplicationError, match=re.escape("今年已发放 ¥8,000.00，已批准待发放 ¥0.00，还可批准 ¥2,000.00")
    ):
        case_step(case=second, action="approve", acting_user=people["leader"])
    second.refresh_from_db()
    assert second.status == CaseStatus.REVIEWED


def test_payment_rechecks_the_cap_and_refuses_what_would_exceed_it(tree, people, illness, wider, fund):
    veteran = make_veteran(tree["grid_a11"])
    under_ten_thousand = approved(people, illness, "8000", veteran)  # ¥10,000 a year for this type
    under_twenty_thousand = approved(people, wider, "8000", veteran)  # 8,000 + 8,000 ≤ 20,000
    case_step(case=under_twenty_thousand, action="pay", acting_user=people["cashier"], fund=fund)
    with pytest.raises(
        ApplicationError,
        match=re.escape("发放 ¥8,000.00 将超过每户每年上限 ¥10,000.00：今年已发放 ¥8,000.00，还可发放 ¥2,000.00"),
    ) as error:
        case_step(case=under_ten_thousand, action="pay", acting_user=people["cashier"], fund=fund)
    assert error.value.code == "yearly_cap"
    under_ten_thousand.refresh_from_db()
    fund.refresh_from_db()
    assert under_ten_thousand.status == CaseStatus.APPROVED and under_ten_thousand.paid_at is None
    assert under_ten_thousand.payment is None and fund.balance == Decimal("1642000.00")
    assert FundEntry.objects.filter(fund=fund, kind="payment").count() == 1


def test_paying_in_the_other_order_stays_within_both_caps(tree, people, illness, wider, fund):
    veteran = make_veteran(tree["grid_a11"])
    under_ten_thousand = approved(people, illness, "8000", veteran)
    under_twenty_thousand = approved(people, wider, "8000", veteran)
    case_step(case=under_ten_thousand, action="pay", acting_user=people["cashier"], fund=fund)
    paid = case_step(case=under_twenty_thousand, action="pay", acting_user=people["cashier"], fund=fund)
    fund.refresh_from_db()
    assert paid.status == CaseStatus.PAID and fund.balance == Decimal("1634000.00")


def test_last_years_payments_do_not_count_toward_this_years_cap(tree, people, illness, fund):
    veteran = make_veteran(tree["grid_a11"])
    last_year = approved(people, illness, "8000", veteran)
    case_step(case=last_year, action="pay", acting_user=people["cashier"], fund=fund)
    new_year_eve = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 12, 31, 23, 30))
    HardshipCase.objects.filter(pk=last_year.pk).update(paid_at=new_year_eve)
    this_year = reviewed(people, illness, "10000", veteran)
    case = case_step(case=this_year, action="approve", acting_user=people["leader"])
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    assert case.status == CaseStatus.PAID and case.amount_approved == Decimal("10000.00")


def test_a_reversed_payment_puts_the_case_back_to_approved_and_stops_counting(tree, people, illness, fund):
    veteran = make_veteran(tree["grid_a11"])
    case = approved(people, illness, "8000", veteran)
    case = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    case = case_step(case=case, action="close", acting_user=people["station"])
    payment = case.payment
    reversal = fund_reverse(entry=payment, reason="账号错误，款项退回", acting_user=people["cashier"])
    case.refresh_from_db()
    fund.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.paid_at is None and case.days_to_payment is None
    assert fund.balance == Decimal("1650000.00") and reversal.amount == Decimal("8000.00")
    step = case.steps.last()
    assert (step.action, step.from_status, step.to_status) == ("reverse", "closed", "approved")
    assert step.actor == people["cashier"] and step.comment == "账号错误，款项退回" and step.at is not None
    assert AuditEvent.objects.filter(object_id=str(case.pk), detail__step="reverse").exists()
    # The amount is promised again, not paid: a new case sees it as pending, and the case can be paid anew.
    other = reviewed(people, illness, "3000", veteran)
    with pytest.raises(ApplicationError, match=re.escape("今年已发放 ¥0.00，已批准待发放 ¥8,000.00")):
        case_step(case=other, action="approve", acting_user=people["leader"])
    again = case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    assert again.status == CaseStatus.PAID and again.payment != payment and again.paid_at is not None


def test_reversing_a_plain_fund_payment_touches_no_case(tree, people, illness, fund):
    from assistance.services import fund_pay

    case = approved(people, illness, "1000", make_veteran(tree["grid_a11"]))
    case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)
    other = fund_pay(fund=fund, amount="50", acting_user=people["cashier"], reference="慰问品")
    fund_reverse(entry=other, reason="录错", acting_user=people["cashier"])
    case.refresh_from_db()
    assert case.status == CaseStatus.PAID and not case.steps.filter(action="reverse").exists()


@pytest.mark.postgres
def test_two_payments_for_one_household_racing_past_the_cap_on_postgresql(
    postgres, transactional_db, tree, monkeypatch
):
    worker = make_staff(grids=[tree["grid_a11"]])
    people = {
        "worker": worker,
        "station": make_staff(tree["community_a1"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }
    cashiers = [make_staff(tree["district"], role=Role.STATION_STAFF) for _ in range(2)]
    case_type = CaseTypeFactory(
        name="并发测试救助", min_amount=Decimal("100"), yearly_cap=Decimal("20000"), station_limit=Decimal("0")
    )
    fund = ReliefFund.objects.create(name="并发测试基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=cashiers[0])
    veteran = make_veteran(tree["grid_a11"])
    cases = [approved(people, case_type, "8000", veteran) for _ in range(2)]
    # The bureau lowers the cap after both were approved: each payment alone fits, both do not.
    CaseType.objects.filter(pk=case_type.pk).update(yearly_cap=Decimal("10000"), special_ceiling=Decimal("10000"))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    # Widen the race: after counting the household's payments, each payment waits (a moment at
    # most) for the other to have counted too. Without the household lock both count ¥0 and pay.
    counted = threading.Barrier(2, timeout=2)
    real_count = cases_module.household_this_year

    def count_then_wait(*args, **kwargs):
        totals = real_count(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other one waits on the lock: go on alone
            counted.wait()
        return totals

    monkeypatch.setattr(cases_module, "household_this_year", count_then_wait)

    def pay(case, cashier):
        try:
            barrier.wait()
            case_step(case=case, action="pay", acting_user=cashier, fund=fund)
            outcomes.append("paid")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=pair) for pair in zip(cases, cashiers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "yearly_cap"]
    fund.refresh_from_db()
    statuses = sorted(HardshipCase.objects.filter(veteran=veteran).values_list("status", flat=True))
    assert statuses == ["approved", "paid"] and fund.balance == Decimal("92000.00")
