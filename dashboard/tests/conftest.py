import datetime

import pytest
from django.utils import timezone

from veterans.models import Veteran
from veterans.tests.factories import make_veteran


@pytest.fixture
def city(tree):
    """Six veterans, hand-placed: what each figure must count is written beside it."""
    today = timezone.localdate()
    late, ahead = today - datetime.timedelta(days=3), today + datetime.timedelta(days=20)
    people = {
        "old_member": make_veteran(
            tree["grid_a11"],
            birth_date=datetime.date(1940, 1, 1),
            is_party_member=True,
            party_relation="pocket",
            glory_plaque_hung_on=today,
        ),
        "korean_war": make_veteran(
            tree["grid_a11"], birth_date=datetime.date(1932, 5, 1), categories=[("korean_war", None)]
        ),
        "young": make_veteran(tree["grid_a12"], birth_date=datetime.date(1990, 1, 1), veteran_type="retired_nco"),
        "b_disabled": make_veteran(tree["grid_b11"], categories=[("disabled", 5), ("war_or_nuclear_test", None)]),
        "b_member": make_veteran(tree["grid_b11"], is_party_member=True, party_relation="mobile"),
        "b_gone": make_veteran(tree["grid_b21"], life_status="deceased", life_status_date=today),
    }
    due = {"old_member": ahead, "korean_war": late, "young": ahead, "b_disabled": late, "b_member": ahead}
    for key, day in due.items():
        Veteran.objects.filter(pk=people[key].pk).update(visit_due_on=day, event_due_on=None)
    return people


@pytest.fixture
def cast(tree):
    from grids.models import Role
    from grids.tests.factories import make_staff

    return {
        "worker": make_staff(grids=[tree["grid_a11"], tree["grid_a12"]]),
        "worker_b": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "cashier": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


def pay_case(veteran, cast, case_type, fund, *, reported_on, amount, side=""):
    """A case taken from report to payment by four different people, as the rules require."""
    from assistance.services import case_open, case_step

    worker, station = cast[f"worker{side}"], cast[f"station{side}"]
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description="确诊重病",
        reported_on=reported_on,
        amount_requested=amount,
        acting_user=worker,
    )
    case_step(case=case, action="submit", acting_user=worker)
    case_step(case=case, action="review", acting_user=station)
    case_step(case=case, action="approve", acting_user=cast["leader"])
    return case_step(case=case, action="pay", acting_user=cast["cashier"], fund=fund)


@pytest.fixture
def busy(tree, city, cast):
    """`city` with everything the board counts, hand-placed (the counts are written beside):
    honours, hardship, completeness, visits, cases (two paid from a fund), appeals, wishes."""

    from appeals.models import AppealCategory
    from appeals.services import appeal_open, appeal_resolve
    from assistance.services import case_open, case_step, fund_create, fund_receive
    from assistance.tests.factories import CaseTypeFactory
    from veterans.services import honour_save
    from visits.services import visit_record
    from wishes.tests.factories import make_wish

    today = timezone.localdate()
    days = datetime.timedelta
    station, station_b = cast["station"], cast["station_b"]
    # 重大贡献 2 (old_member, korean_war), 立功受奖 2 (old_member, young); b_gone is deceased.
    honour_save(veteran=city["old_member"], kind="first_class", acting_user=station)
    honour_save(veteran=city["old_member"], kind="second_class", acting_user=station)
    honour_save(veteran=city["korean_war"], kind="title", title="战斗英雄", acting_user=station)
    honour_save(veteran=city["young"], kind="third_class", acting_user=station)
    honour_save(veteran=city["b_gone"], kind="first_class", acting_user=station_b)
    # 特别困难 2 (korean_war, b_member); b_gone is deceased.
    Veteran.objects.filter(pk=city["korean_war"].pk).update(extreme_poverty=True)
    Veteran.objects.filter(pk=city["b_member"].pk).update(minimum_living_allowance=True)
    Veteran.objects.filter(pk=city["b_gone"].pk).update(extreme_poverty=True, completeness=100)
    # Complete files 2 of 5 (40.0%), average completeness (100+100+50+60+90)/5 = 80.0.
    scores = {"old_member": 100, "korean_war": 100, "young": 50, "b_disabled": 60, "b_member": 90}
    for key, score in scores.items():
        Veteran.objects.filter(pk=city[key].pk).update(completeness=score)
    # Visits now: 2 in street a, 1 in street b; one 40 days ago counts in neither week nor month.
    visit_record(veteran=city["korean_war"], acting_user=cast["worker"], method="home")
    visit_record(veteran=city["young"], acting_user=cast["worker"], method="phone")
    visit_record(veteran=city["b_member"], acting_user=cast["worker_b"], method="home")
    long_ago = timezone.now() - days(days=40)
    visit_record(veteran=city["old_member"], acting_user=cast["worker"], method="home", visited_at=long_ago)
    # Cases: two paid (8,400 after 5 days, 1,200 after 3: median 4), two open (one reported 40 days
    # ago: overdue), one draft (not yet open).
    illness = CaseTypeFactory(name="看板大病救助")
    fund = fund_create(name="区帮扶基金", level="district", district=tree["district"], acting_user=cast["leader"])
    fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=cast["cashier"])
    fund_receive(
        fund=fund,
        kind="donation",
        amount="5000",
        donor_kind="enterprise",
        donor_name="爱心企业",
        acting_user=cast["cashier"],
    )
    pay_case(city["korean_war"], cast, illness, fund, reported_on=today - days(days=5), amount="8400")
    pay_case(city["b_member"], cast, illness, fund, reported_on=today - days(days=3), amount="1200", side="_b")
    for key, reported_on in (("old_member", today - days(days=40)), ("young", today)):
        case = case_open(
            veteran=city[key],
            case_type=illness,
            description="临时困难",
            reported_on=reported_on,
            amount_requested="1000",
            acting_user=cast["worker"],
        )
        case_step(case=case, action="submit", acting_user=cast["worker"])
    case_open(
        veteran=city["b_disabled"],
        case_type=illness,
        description="草稿",
        reported_on=today,
        amount_requested="1000",
        acting_user=cast["worker_b"],
    )
    # Appeals: two open in street a (one overdue), one resolved on its day in time.
    category = AppealCategory.objects.create(name="看板诉求", kind="question", deadline_days=5)

    def appeal(person, received_on):
        return appeal_open(
            veteran=city[person],
            category=category,
            channel="phone",
            subject="s",
            content="c",
            received_on=received_on,
            acting_user=station,
        )

    appeal("old_member", today - days(days=40))
    appeal("korean_war", today)
    appeal_resolve(appeal=appeal("young", today), resolution="已答复", resolved_on=today, acting_user=station)
    # Wishes: 2 recorded (1 fulfilled) in street a; a cancelled one in street b is not counted.
    wish_people = {"station": station, "station_b": station_b, "worker": cast["worker"], "worker_b": cast["worker_b"]}
    make_wish(city["korean_war"], wish_people, upto="confirmed")
    make_wish(city["old_member"], wish_people, upto="published")
    make_wish(city["b_member"], wish_people, upto="cancelled")
    return {"fund": fund, "case_type": illness}
