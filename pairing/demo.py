"""Demo pairs for `make run`: most key-group people paired with a cadre (most without an account)
or their grid worker, a few Zhenping-style enterprise pairs with what was given, and contacts.
Through the services, by the people who would record them."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from grids.models import AreaLevel, Role, StaffProfile
from pairing.selectors import any_key_group_q, living_q
from pairing.services import pair_contact_record, pair_gift_record, pair_start
from veterans.models import Veteran

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建华", "志强", "秀英", "国庆", "海燕", "卫东", "丽萍", "德明", "晓东", "红梅"]
POSTS = ["镇党委委员", "街道办副主任", "村党支部书记", "社区居委会主任", "退役军人服务站站长"]
ENTERPRISES = ["富民农业开发有限公司", "秦巴山茶业有限公司", "老兵物流有限公司", "平安建材有限公司"]
GIFTS = [("米面油慰问品", "300.00"), ("春节慰问金", "500.00"), ("介绍就业岗位", None), ("茶苗种植技术指导", None)]
PAIRED_SHARE = 0.85  # of the key-group people, paired
CONTACTED_SHARE = 0.3  # of the pairs, with contacts


def _stations() -> dict[int, object]:
    """street id → a station staff account of that street (who starts the pairs there)."""
    rows = StaffProfile.objects.filter(role=Role.STATION_STAFF, scope_level=AreaLevel.STREET).select_related("user")
    return {row.street_id: row.user for row in rows}


def _workers() -> dict[int, object]:
    rows = StaffProfile.objects.filter(role=Role.GRID_WORKER).prefetch_related("grids").select_related("user")
    return {grid.pk: row.user for row in rows for grid in row.grids.all()}


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def build_demo_pairing(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 20)
    today = timezone.localdate()
    stations, workers = _stations(), _workers()
    people = Veteran.objects.filter(living_q(), any_key_group_q(today), pairs__isnull=True).order_by("id")
    made = {"pairs": 0, "contacts": 0, "gifts": 0}
    for person in people:
        station = stations.get(person.street_id)
        if station is None or rng.random() > PAIRED_SHARE:
            continue
        first = max(person.birth_date, today - datetime.timedelta(days=730))
        started = _day_between(rng, first, today - datetime.timedelta(days=30))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        pair = pair_start(
            veteran=person,
            partner_kind="cadre",
            partner_name=name,
            partner_organisation=rng.choice(POSTS),
            started_on=started,
            acting_user=station,
        )
        made["pairs"] += 1
        recorder = workers.get(person.grid_id, station)
        if rng.random() < CONTACTED_SHARE:
            for _n in range(rng.randint(1, 2)):
                way = rng.choice(["home_visit", "home_visit", "phone"])
                day = _day_between(rng, started, today)
                pair_contact_record(
                    pair=pair, contacted_on=day, way=way, note="了解近况，宣传政策", acting_user=recorder
                )
                made["contacts"] += 1
        if made["pairs"] % 40 == 1:  # a few households paired with an enterprise too (企业+贫困户)
            firm = pair_start(
                veteran=person,
                partner_kind="enterprise",
                partner_name=name[0] + "经理",
                partner_organisation=rng.choice(ENTERPRISES),
                started_on=started,
                acting_user=station,
            )
            made["pairs"] += 1
            for description, value in rng.sample(GIFTS, 2):
                day = _day_between(rng, started, today)
                value = Decimal(value) if value else None
                pair_gift_record(pair=firm, given_on=day, description=description, value=value, acting_user=station)
                made["gifts"] += 1
    return made
