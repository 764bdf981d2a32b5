import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from assistance.models import FundDraw, FundEntry, FundSource, ReliefFund
from assistance.selectors import where_income_went
from assistance.services import fund_pay, fund_receive, fund_reverse
from core.db.append_only import AppendOnlyError
from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff


@pytest.fixture
def fund(tree):
    return ReliefFund.objects.create(name="和平区退役军人帮扶基金", level="district", district=tree["district"])


@pytest.fixture
def staff(tree):
    return make_staff(tree["district"], role=Role.STATION_STAFF)


def ledger_sum(fund) -> Decimal:
    return FundEntry.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or Decimal("0")


def test_money_in_and_out_is_exact_and_the_balance_is_the_sum_of_entries(fund, staff):
    fund_receive(fund=fund, kind="allocation", amount="1650000.00", acting_user=staff, reference="财政拨款")
    fund_receive(
        fund=fund,
        kind="donation",
        amount=Decimal("0.10"),
        acting_user=staff,
        donor_kind="person",
        donor_name="张先生",
        receipt_no="JZ-0001",
    )
    fund_pay(fund=fund, amount=Decimal("8400"), acting_user=staff, reference="大病医疗救助")
    fund.refresh_from_db()
    assert fund.balance == Decimal("1641600.10") == ledger_sum(fund)
    assert list(FundEntry.objects.values_list("balance_after", flat=True)) == [
        Decimal("1650000.00"),
        Decimal("1650000.10"),
        Decimal("1641600.10"),
    ]


@pytest.mark.parametrize("amount", ["0", "-5", "100000000.01"])
def test_zero_negative_and_huge_amounts_are_refused(fund, staff, amount):
    with pytest.raises(ApplicationError):
        fund_receive(fund=fund, kind="allocation", amount=amount, acting_user=staff)
    assert not FundEntry.objects.exists()


def test_payment_beyond_the_balance_is_refused_with_what_is_left(fund, staff):
    fund_receive(fund=fund, kind="allocation", amount="5000", acting_user=staff)
    with pytest.raises(ApplicationError, match=re.escape("剩余 ¥5,000.00，本次需要 ¥8,400.00")):
        fund_pay(fund=fund, amount="8400", acting_user=staff, reference="x")
    fund.refresh_from_db()
    assert fund.balance == Decimal("5000.00") and FundEntry.objects.count() == 1


def test_donations_get_a_receipt_number_and_need_a_donor_unless_anonymous(fund, staff):
    first = fund_receive(
        fund=fund, kind="donation", amount="100", acting_user=staff, donor_kind="enterprise", donor_name="某公司"
    )
    second = fund_receive(fund=fund, kind="donation", amount="5", acting_user=staff, donor_kind="anonymous")
    year = first.created_at.year
    assert (first.receipt_no, second.receipt_no) == (f"JZ{year}-{fund.pk:04d}-00001", f"JZ{year}-{fund.pk:04d}-00002")
    with pytest.raises(ApplicationError, match="捐赠方名称"):
        fund_receive(fund=fund, kind="donation", amount="100", acting_user=staff, donor_kind="person", receipt_no="R1")
    entry = fund_receive(
        fund=fund, kind="donation", amount="100", acting_user=staff, donor_kind="anonymous", receipt_no="R1"
    )
    assert entry.donor_name == ""
    with pytest.raises(ApplicationError, match="已登记过"):
        fund_receive(
            fund=fund, kind="donation", amount="50", acting_user=staff, donor_kind="anonymous", receipt_no="R1"
        )


def test_a_mistake_is_corrected_by_a_reversal_once(fund, staff):
    wrong = fund_receive(fund=fund, kind="allocation", amount="300", acting_user=staff)
    reversal = fund_reverse(entry=wrong, reason="金额录错", acting_user=staff)
    fund.refresh_from_db()
    assert reversal.amount == Decimal("-300.00") and reversal.reverses == wrong
    assert fund.balance == Decimal("0.00") == ledger_sum(fund)
    with pytest.raises(ApplicationError, match="已冲正"):
        fund_reverse(entry=wrong, reason="again", acting_user=staff)


def test_reversing_money_already_spent_is_refused(fund, staff):
    income = fund_receive(fund=fund, kind="allocation", amount="1000", acting_user=staff)
    fund_pay(fund=fund, amount="800", acting_user=staff, reference="救助")
    with pytest.raises(ApplicationError, match=re.escape("已有 ¥800.00 用于救助发放")):
        fund_reverse(entry=income, reason="误入", acting_user=staff)
    assert FundEntry.objects.count() == 2


def test_every_yuan_is_traced_from_income_to_payment_oldest_first(fund, staff):
    allocation = fund_receive(fund=fund, kind="allocation", amount="1000", acting_user=staff)
    donation = fund_receive(
        fund=fund, kind="donation", amount="500", acting_user=staff, donor_kind="enterprise", donor_name="某公司"
    )
    first = fund_pay(fund=fund, amount="800", acting_user=staff, reference="甲")
    second = fund_pay(fund=fund, amount="400", acting_user=staff, reference="乙")
    assert [(t.payment, t.amount) for t in where_income_went(allocation)] == [
        (first, Decimal("800.00")),
        (second, Decimal("200.00")),
    ]
    assert [(t.payment, t.amount) for t in where_income_went(donation)] == [(second, Decimal("200.00"))]
    assert_sources_match_balance(fund)


def test_a_reversed_payment_gives_its_money_back_to_its_sources(fund, staff):
    allocation = fund_receive(fund=fund, kind="allocation", amount="1000", acting_user=staff)
    donation = fund_receive(fund=fund, kind="donation", amount="500", acting_user=staff, donor_kind="anonymous")
    payment = fund_pay(fund=fund, amount="1200", acting_user=staff, reference="录错")
    fund_reverse(entry=payment, reason="金额录错", acting_user=staff)
    traces = where_income_went(donation)
    assert [(t.amount, t.given_back) for t in traces] == [(Decimal("200.00"), True)]
    assert FundSource.objects.get(entry=allocation).remaining == Decimal("1000.00")
    assert FundSource.objects.get(entry=donation).remaining == Decimal("500.00")
    fund_reverse(entry=donation, reason="捐赠退回", acting_user=staff)  # unspent again, so it may go
    assert_sources_match_balance(fund)
    later = fund_pay(fund=fund, amount="1000", acting_user=staff, reference="再付")
    assert [t.source for t in _draws_of(later)] == [allocation]


def _draws_of(payment):
    return [t for t in where_income_went(payment.draws.first().source) if t.payment == payment]


def assert_sources_match_balance(fund):
    fund.refresh_from_db()
    unspent = FundSource.objects.filter(fund=fund).aggregate(total=Sum("remaining"))["total"]
    assert unspent == fund.balance == ledger_sum(fund)
    drawn = FundDraw.objects.filter(source__fund=fund).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    incomes = FundEntry.objects.filter(fund=fund, kind__in=["allocation", "donation"], reversed_by__isnull=True)
    assert incomes.aggregate(total=Sum("amount"))["total"] - drawn == fund.balance


def test_ledger_entries_cannot_be_changed_or_deleted(fund, staff):
    entry = fund_receive(fund=fund, kind="allocation", amount="10", acting_user=staff)
    entry.amount = Decimal("1000")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        FundEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(AppendOnlyError):
        FundEntry.objects.all().delete()


def test_a_fund_outside_scope_cannot_be_touched(tree, fund):
    outsider = make_staff(tree["street_a"])  # street staff do not see a district-level fund
    with pytest.raises(ApplicationError):
        fund_receive(fund=fund, kind="allocation", amount="10", acting_user=outsider)
    assert not FundEntry.objects.exists()


@pytest.mark.postgres
def test_two_payments_racing_for_the_last_yuan_on_postgresql(postgres, transactional_db, tree):
    staff = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="并发测试基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="100", acting_user=staff)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay():
        try:
            barrier.wait()
            fund_pay(fund=fund, amount="60", acting_user=staff, reference="并发审批")
            outcomes.append("paid")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["insufficient_funds", "paid"]
    fund.refresh_from_db()
    assert fund.balance == Decimal("40.00") == ledger_sum(fund)
