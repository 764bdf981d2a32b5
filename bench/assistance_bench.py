"""Issue 5 figure: a bureau leader approves 10,000 fresh reviewed cases in one batch and a cashier
pays them from a fund, through the batch service the admin's actions call (cases_step_batch).
Reports wall time, per-case latency (p50/p95 and the slowest case: no stalls), queries per case
and whether the ledger balances afterwards (balance = sum of entries = unspent income; exactly
BENCH_CASES cases approved and paid, one payment each)."""

import os
import secrets
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistance.models import CaseStatus, CaseType, FundEntry, FundSource, HardshipCase, ReliefFund
from assistance.services import cases_step_batch, fund_receive
from bench.measure import Result, percentile
from grids.models import AreaLevel, District, Role
from grids.scoping import SYSTEM
from grids.services import staff_account_create
from veterans.models import LifeStatus, Veteran

BATCH = int(os.environ.get("BENCH_CASES", 10_000))
AMOUNT = Decimal("800.00")


def _account(username: str, role: str, district):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = staff_account_create(
            username=username,
            password=secrets.token_urlsafe(24),
            full_name=username,
            role=role,
            scope_level=AreaLevel.DISTRICT,
            area=district,
            acting_user=SYSTEM,
        ).user
    return user


def _reviewed_cases(district, opener, count: int) -> list[int]:
    """Set-up, not measured: `count` fresh reviewed cases, for veterans who have none yet (bulk
    insert), so every run on a reused database approves and pays exactly that many."""
    case_type = CaseType.objects.get(name="临时困难补助")
    veterans = list(
        Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .exclude(hardship_cases__isnull=False)
        .only("id", "district_id", "street_id", "community_id", "grid_id")[:count]
    )
    if len(veterans) < count:
        raise RuntimeError(
            f"only {len(veterans):,} veterans of {district} have no hardship case yet, the bench needs {count:,}: "
            "rebuild the bench data or lower BENCH_CASES"
        )
    today = timezone.localdate()
    cases = []
    for veteran in veterans:
        case = HardshipCase(
            veteran=veteran,
            case_type=case_type,
            status=CaseStatus.REVIEWED,
            description="基准测试：临时困难",
            reported_on=today,
            amount_requested=AMOUNT,
            opened_by=opener,
        )
        case.district_id, case.street_id = veteran.district_id, veteran.street_id
        case.community_id, case.grid_id = veteran.community_id, veteran.grid_id
        cases.append(case)
    case_ids = [c.pk for c in HardshipCase.objects.bulk_create(cases, batch_size=2000)]
    assert len(case_ids) == count, (len(case_ids), count)
    return case_ids


def _timed(cases, timings: list[float], queries: list[int]):
    """Hand the cases to the batch one by one, timing and counting the queries of each from the
    moment it is handed over until the batch asks for the next (fetching is not counted)."""
    iterator = iter(cases)
    while True:
        try:
            case = next(iterator)
        except StopIteration:
            return
        connection.queries_log.clear()  # the log keeps 9,000 queries; counts per case need it fresh
        started = time.perf_counter()
        yield case
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(connection.queries_log))


def _run_steps(case_ids: list[int], action: str, user, **args) -> tuple[list[float], list[int], list[str]]:
    """One batch through cases_step_batch, the service the admin's batch actions call."""
    timings, queries = [], []
    cases = HardshipCase.objects.filter(pk__in=case_ids).order_by("id").iterator(chunk_size=500)
    with CaptureQueriesContext(connection):  # turns the query log on
        report = cases_step_batch(cases=_timed(cases, timings, queries), action=action, acting_user=user, **args)
    assert len(report.done) + len(report.refused) == len(case_ids) == len(timings)
    # A refusal in the bench is a finding: counted, and the first few reasons shown.
    return timings, queries, [message for _case, message in report.refused]


def bench_approve_and_pay() -> list[Result]:
    district = District.objects.order_by("id").first()
    leader = _account("bench_leader", Role.BUREAU_LEADER, district)
    cashier = _account("bench_cashier", Role.STATION_STAFF, district)
    fund = ReliefFund.objects.create(
        name=f"基准测试基金{timezone.now():%Y%m%d%H%M%S}", level="district", district=district
    )
    # Money from many sources, so payments draw across incomes oldest first.
    for n in range(200):
        fund_receive(
            fund=fund,
            kind="donation",
            amount="2000",
            acting_user=cashier,
            donor_kind="enterprise",
            donor_name=f"爱心企业{n}",
        )
    fund_receive(fund=fund, kind="allocation", amount=str(AMOUNT * BATCH), acting_user=cashier)
    case_ids = _reviewed_cases(district, cashier, BATCH)

    results = []
    wall_started = time.perf_counter()
    for action, user, args in (("approve", leader, {}), ("pay", cashier, {"fund": fund})):
        started = time.perf_counter()
        timings, queries, refusals = _run_steps(case_ids, action, user, **args)
        seconds = time.perf_counter() - started
        result = Result(
            name=f"{action} {len(case_ids):,} cases in one batch",
            p50_ms=round(statistics.median(timings), 2),
            p95_ms=round(percentile(timings, 0.95), 2),
            queries=round(statistics.mean(queries)),
            rate=len(case_ids) / seconds,
            rate_unit="cases/s",
            target="no refusals, no stall (slowest < 1 s)",
            extra={
                "seconds": round(seconds, 1),
                "slowest_ms": round(max(timings), 1),
                "refused": len(refusals),
                "first_refusals": sorted(set(refusals))[:3],
            },
        )
        result.met = not refusals and max(timings) < 1000
        results.append(result)
    wall = time.perf_counter() - wall_started

    fund.refresh_from_db()
    ledger = FundEntry.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"]
    unspent = FundSource.objects.filter(fund=fund).aggregate(total=Sum("remaining"))["total"]
    paid = HardshipCase.objects.filter(pk__in=case_ids, status=CaseStatus.PAID).count()
    assert len(case_ids) == BATCH
    payments = FundEntry.objects.filter(fund=fund, kind="payment").count()
    balanced = fund.balance == ledger == unspent and paid == payments == len(case_ids)
    total = Result(
        name=f"approve + pay {len(case_ids):,} cases: wall time, ledger balanced",
        rate=len(case_ids) / wall,
        rate_unit="cases/s",
        target="ledger balanced",
        met=balanced,
        extra={
            "wall_seconds": round(wall, 1),
            "balance": str(fund.balance),
            "ledger_sum": str(ledger),
            "unspent_income": str(unspent),
            "paid_cases": paid,
            "payments": payments,
        },
    )
    results.append(total)
    return results


MEASURES = {"approve": bench_approve_and_pay}
