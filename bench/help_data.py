"""The help side of the bench city, built once beside the veterans and visits: per district a
relief fund with its allocation and donations, about 2% of veterans with a hardship case this
year (most paid from the fund, with their ledger entries and draws), about 3% with an appeal
(a tenth still open, some overdue) and micro-wishes for most Korean War veterans.

Bulk inserts, not the services: the services are measured elsewhere (approve, submit); here
only the shape and the volume of the rows matter. The ledger still balances: each fund's
balance equals the sum of its entries and of its unspent income."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appeals.models import Appeal, AppealCategory, AppealStatus
from assistance.models import CaseStatus, CaseType, FundDraw, FundEntry, FundSource, HardshipCase, ReliefFund
from grids.models import District, Role, StaffProfile
from veterans.models import LifeStatus, PriorityCare, Veteran
from wishes.models import MicroWish, WishStatus

MARK = "基准数据"
BATCH = 5000


def _place(row, veteran) -> None:
    row.district_id, row.street_id = veteran["district_id"], veteran["street_id"]
    row.community_id, row.grid_id = veteran["community_id"], veteran["grid_id"]


def _fund(district, user, rng, allocation: Decimal) -> tuple[ReliefFund, FundEntry]:
    fund = ReliefFund.objects.create(name=f"{district.name}帮扶基金（{MARK}）", level="district", district=district)
    entries, balance = [], Decimal("0")
    incomes = [("allocation", allocation, "", "")] + [
        ("donation", Decimal(rng.choice([500, 2000, 5000, 20000, 50000])), "enterprise", f"爱心企业{n}")
        for n in range(300)
    ]
    for kind, amount, donor_kind, donor_name in incomes:
        balance += amount
        entries.append(
            FundEntry(
                fund=fund,
                kind=kind,
                amount=amount,
                balance_after=balance,
                created_by=user,
                donor_kind=donor_kind,
                donor_name=donor_name,
                reference=MARK,
            )
        )
    entries = FundEntry.objects.bulk_create(entries)
    FundSource.objects.bulk_create(FundSource(entry=e, fund=fund, remaining=e.amount) for e in entries)
    fund.balance = balance
    fund.save(update_fields=["balance"])
    return fund, entries[0]


def _case_hands(fallback) -> dict:
    """Three different people, as the services demand: one applies, one approves, one pays."""
    hands = {}
    for hand, role in (("opener", Role.GRID_WORKER), ("approver", Role.BUREAU_LEADER), ("payer", Role.STATION_STAFF)):
        profile = StaffProfile.objects.filter(role=role).select_related("user").order_by("id").first()
        hands[hand] = profile.user if profile else fallback
    return hands


def _cases(district, veterans, hands, rng, today) -> None:
    types = list(CaseType.objects.order_by("id"))
    cases = []
    for veteran in veterans:
        case_type = rng.choice(types)
        # Reported this year where the year allows, at least ten days ago (so payments lie in the past).
        reported = today - datetime.timedelta(days=rng.randint(10, max(10, min(320, today.timetuple().tm_yday - 1))))
        amount = Decimal(rng.randrange(int(case_type.min_amount), int(case_type.max_amount) + 1, 100))
        status = rng.choices(
            [
                CaseStatus.SUBMITTED,
                CaseStatus.REVIEWED,
                CaseStatus.APPROVED,
                CaseStatus.PAID,
                CaseStatus.CLOSED,
                CaseStatus.REJECTED,
                CaseStatus.WITHDRAWN,
            ],
            weights=[5, 5, 5, 20, 50, 10, 5],
        )[0]
        case = HardshipCase(
            veteran_id=veteran["id"],
            case_type=case_type,
            status=status,
            description=MARK,
            reported_on=reported,
            amount_requested=amount,
            opened_by=hands["opener"],
        )
        _place(case, veteran)
        if status in (CaseStatus.APPROVED, CaseStatus.PAID, CaseStatus.CLOSED):
            approved = timezone.make_aware(datetime.datetime.combine(reported, datetime.time(10)))
            case.amount_approved, case.approved_at, case.approved_by = (
                amount,
                approved + datetime.timedelta(days=3),
                hands["approver"],
            )
        if status in (CaseStatus.PAID, CaseStatus.CLOSED):
            case.paid_at = case.approved_at + datetime.timedelta(days=rng.randint(1, 6))
        cases.append(case)
    paid_cases = [case for case in cases if case.paid_at is not None]
    spent = sum((case.amount_approved for case in paid_cases), Decimal("0"))
    # The fiscal allocation covers the year's payments with a margin; donations come on top.
    fund, allocation = _fund(district, hands["payer"], rng, (spent * Decimal("1.2")).quantize(Decimal("1")) + 100000)
    balance, payments = fund.balance, []
    for case in paid_cases:
        balance -= case.amount_approved
        case.fund = fund
        payments.append(
            FundEntry(
                fund=fund,
                kind="payment",
                amount=-case.amount_approved,
                balance_after=balance,
                created_by=hands["payer"],
                reference=MARK,
            )
        )
    payments = FundEntry.objects.bulk_create(payments, batch_size=BATCH)
    for case, payment in zip(paid_cases, payments, strict=True):
        case.payment = payment
    HardshipCase.objects.bulk_create(cases, batch_size=BATCH)
    FundDraw.objects.bulk_create(
        (FundDraw(entry=p, source=allocation, amount=-p.amount) for p in payments), batch_size=BATCH
    )
    FundSource.objects.filter(entry=allocation).update(remaining=allocation.amount - spent)
    ReliefFund.objects.filter(pk=fund.pk).update(balance=balance)


def _appeals(veterans, user, rng, today) -> None:
    categories = list(AppealCategory.objects.all())
    appeals = []
    for veteran in veterans:
        category = rng.choice(categories)
        received = today - datetime.timedelta(days=rng.randint(0, 330))
        deadline = received + datetime.timedelta(days=category.deadline_days * 7 // 5)
        appeal = Appeal(
            veteran_id=veteran["id"],
            category=category,
            channel=rng.choice(["visit", "phone", "station"]),
            subject=MARK,
            content=MARK,
            received_on=received,
            deadline=deadline,
            opened_by=user,
        )
        if rng.random() < 0.1 or deadline >= today:
            appeal.status = rng.choice([AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS])
        else:
            appeal.status = AppealStatus.CLOSED
            appeal.resolution, appeal.satisfaction = MARK, "satisfied"
            appeal.resolved_on = min(today, received + datetime.timedelta(days=rng.randint(1, category.deadline_days)))
        _place(appeal, veteran)
        appeals.append(appeal)
    Appeal.objects.bulk_create(appeals, batch_size=BATCH)


def _wishes(veterans, user, rng, today) -> None:
    wishes = []
    for veteran in veterans:
        collected = today - datetime.timedelta(days=rng.randint(10, 300))
        wish = MicroWish(
            veteran_id=veteran["id"],
            title=rng.choice(["一台新轮椅", "与战友家属视频通话", "到纪念馆看看"]),
            estimated_value=Decimal(rng.choice([0, 300, 1800])),
            collected_by=user,
            collected_on=collected,
            status=rng.choice([WishStatus.COLLECTED, WishStatus.PUBLISHED, WishStatus.CONFIRMED]),
        )
        if wish.status == WishStatus.CONFIRMED:
            wish.donor_kind, wish.donor_name, wish.claimed_on = "enterprise", "爱心企业", collected
            wish.fulfilled_on, wish.photo, wish.fulfilment_note = collected, "wishes/bench.jpg", MARK
        _place(wish, veteran)
        wishes.append(wish)
    MicroWish.objects.bulk_create(wishes, batch_size=BATCH)


def ensure_help_data(seed: int = 2026) -> None:
    if HardshipCase.objects.filter(description=MARK).exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    user = get_user_model().objects.filter(staff_profile__isnull=False).order_by("id").first()
    hands = _case_hands(user)
    fields = ("id", "district_id", "street_id", "community_id", "grid_id")
    live = Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)
    print("adding funds, hardship cases, appeals and micro-wishes", flush=True)
    with transaction.atomic():
        for district in District.objects.order_by("id"):
            people = list(live.filter(district=district).values(*fields))
            rng.shuffle(people)
            share = len(people) // 100
            _cases(district, people[: share * 2], hands, rng, today)
            _appeals(people[share * 2 : share * 5], user, rng, today)
        korean_war = PriorityCare.objects.filter(category="korean_war").values("veteran_id")
        veterans = list(live.filter(pk__in=korean_war).values(*fields))
        _wishes([v for v in veterans if rng.random() < 0.8], user, rng, today)
