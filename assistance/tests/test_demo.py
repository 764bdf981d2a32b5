from io import StringIO

from django.core.management import call_command
from django.db.models import Sum

from assistance.models import CaseStatus, FundEntry, FundSource, HardshipCase, ReliefFund


def test_demo_help_is_real_workflow_and_a_balanced_ledger(db):
    call_command(
        "seed_demo",
        "--streets",
        "2",
        "--communities",
        "4",
        "--grids",
        "8",
        "--veterans",
        "120",
        "--cases",
        "24",
        stdout=StringIO(),
    )
    assert HardshipCase.objects.count() == 24
    statuses = set(HardshipCase.objects.values_list("status", flat=True))
    assert {CaseStatus.SUBMITTED, CaseStatus.REVIEWED, CaseStatus.CLOSED} <= statuses
    fund = ReliefFund.objects.get()
    ledger = FundEntry.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"]
    unspent = FundSource.objects.filter(fund=fund).aggregate(total=Sum("remaining"))["total"]
    assert fund.balance == ledger == unspent
    paid = HardshipCase.objects.filter(paid_at__isnull=False)
    assert paid.exists() and all(case.steps.filter(action="pay").exists() for case in paid)
