"""Demo help for `make run`: a district fund with its allocation and donations, and cases in
every state, written through the real services (so the ledger, draws and steps are genuine).

Cases that reached their end were reported over the past year and took their steps on working
days, in office hours (core.demo_clock), so the dashboard's monthly trends have a history;
cases still under way were reported within the last weeks."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from assistance.models import CaseType, ReliefFund
from assistance.services import case_open, case_step, fund_create, fund_receive
from core.demo_clock import demo_clock, office_hours, working_day_on_or_after
from core.workdays import add_working_days
from grids.models import AreaLevel, District, Role, StaffProfile
from veterans.models import LifeStatus, Veteran

DONORS = [("enterprise", "津门爱心企业"), ("person", "张先生"), ("anonymous", ""), ("enterprise", "和平商会")]
# How far each demo case gets: (last step, share of cases).
ENDINGS = [
    (None, 1), ("submit", 3), ("return", 1), ("review", 2), ("approve", 2), ("pay", 3), ("close", 4), ("reject", 1),
]  # fmt: skip
PATH = {
    "submit": ["submit"],
    "return": ["submit", "return"],
    "review": ["submit", "review"],
    "approve": ["submit", "review", "approve"],
    "pay": ["submit", "review", "approve", "pay"],
    "close": ["submit", "review", "approve", "pay", "close"],
    "reject": ["submit", "review", "reject"],
}


def _user(username: str, role: str, district):
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user
    profile = StaffProfile.objects.filter(role=role, district=district).select_related("user").first()
    return profile.user if profile else None


def _opener_for(veteran, cashier):
    """The veteran's grid worker, else the station of their community or street: never the cashier,
    who reviews the case (whoever applies does not also decide)."""
    profile = StaffProfile.objects.filter(role=Role.GRID_WORKER, grids=veteran.grid_id).select_related("user").first()
    if profile is None:
        here = Q(scope_level=AreaLevel.COMMUNITY, community_id=veteran.community_id) | Q(
            scope_level=AreaLevel.STREET, street_id=veteran.street_id
        )
        profile = StaffProfile.objects.filter(here, role=Role.STATION_STAFF).exclude(user=cashier).first()
    return profile.user if profile else None


# Cases that reached an end (paid, closed, rejected) were reported within this many days;
# cases still under way within RECENT_DAYS (older ones would all be overdue).
HISTORY_DAYS = 365
RECENT_DAYS = 40
ENDED = ("pay", "close", "reject")


def build_demo_assistance(*, cases: int, seed: int) -> int:
    """A fund per district and `cases` hardship cases in the first district."""
    rng = random.Random(seed)
    timing = random.Random(seed + 1)  # when things happened: the cases themselves stay as they were
    district = District.objects.order_by("id").first()
    leader = _user("leader", Role.BUREAU_LEADER, district)
    cashier = _user("center_staff", Role.STATION_STAFF, district)
    if district is None or leader is None or cashier is None:
        return 0
    today = timezone.localdate()
    # The fund and its money came before the oldest case of the demo's year.
    with demo_clock(office_hours(working_day_on_or_after(today - datetime.timedelta(days=HISTORY_DAYS + 10)), timing)):
        fund = ReliefFund.objects.filter(district=district).first() or fund_create(
            name=f"{district.name}退役军人帮扶基金", level="district", district=district, acting_user=cashier
        )
        if not fund.entries.exists():
            fund_receive(fund=fund, kind="allocation", amount="1650000", acting_user=cashier, reference="年度财政拨款")
            for donor_kind, donor_name in DONORS:
                amount = Decimal(rng.choice([500, 2000, 5000, 20000]))
                fund_receive(
                    fund=fund,
                    kind="donation",
                    amount=amount,
                    acting_user=cashier,
                    donor_kind=donor_kind,
                    donor_name=donor_name,
                    reference="困难退役军人帮扶",
                )
    # The relief types (not the self-employment grants the employment app adds, which no station
    # approves alone): the demo shows every step of the relief workflow.
    types = list(CaseType.objects.filter(station_limit__gt=0).order_by("id"))
    veterans = list(
        Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .exclude(hardship_cases__isnull=False)
        .select_related("grid")
        .order_by("grid_id", "id")[: cases * 3]
    )
    rng.shuffle(veterans)
    endings = [end for end, weight in ENDINGS for _ in range(weight)]
    made = 0
    for veteran in veterans[:cases]:
        opener = _opener_for(veteran, cashier)
        if opener is None:
            continue
        case_type = rng.choice(types)
        amount = Decimal(rng.randrange(int(case_type.min_amount), int(case_type.max_amount) + 1, 100))
        days_ago = rng.randint(1, RECENT_DAYS)
        ending = rng.choice(endings)
        if ending in ENDED:
            days_ago = timing.randint(1, HISTORY_DAYS)
        reported_on = today - datetime.timedelta(days=days_ago)
        actions = PATH.get(ending, [])
        moments = _story(reported_on, len(actions) + 1, timing)
        with demo_clock(moments[0]) as clock:
            case = case_open(
                veteran=veteran,
                case_type=case_type,
                description="走访中发现家庭困难（演示数据）",
                reported_on=reported_on,
                amount_requested=amount,
                acting_user=opener,
            )
            for action, moment in zip(actions, moments[1:], strict=True):
                clock.moment = moment
                actor = {"submit": case.opened_by, "approve": leader}.get(action, cashier)
                comment = "请补充诊断证明" if action in ("return", "reject") else ""
                case = case_step(case=case, action=action, acting_user=actor, comment=comment, fund=fund)
        made += 1
    return made


def _story(reported_on: datetime.date, steps: int, rng: random.Random) -> list[datetime.datetime]:
    """When a case's `steps` acts happen: the first on the day of the report (or the next working
    day), each next one a few working days later, in office hours; never after the real now (a
    recent case's late steps happen just now, a minute apart)."""
    moments, day = [], working_day_on_or_after(reported_on)
    for _ in range(steps):
        moments.append(office_hours(day, rng))
        day = add_working_days(day, rng.randint(1, 4))
    now = timezone.now()
    return [min(moment, now - datetime.timedelta(minutes=steps - index)) for index, moment in enumerate(moments)]
