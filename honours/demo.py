"""Demo honours for `make run`, through the services: this year's 最美退役军人 round decided and
announced, a 五好家属 round still taking nominations, and 立功喜报 for serving soldiers' families,
some delivered, some waiting (a few for more than 15 days: the workbench's urgent line).

Steps in the past run under core.demo_clock, so the services date them as the story goes."""

import datetime
import random

from django.utils import timezone

from core.demo_clock import demo_clock, office_hours
from grids.models import AreaLevel, District, Role, StaffProfile
from honours import services
from veterans.models import LifeStatus, PersonKind, Veteran

SOLDIERS = ["王浩然", "李子轩", "张宇航", "刘嘉诚", "陈思远", "杨志强", "赵俊杰", "黄明辉", "周博文", "吴天宇"]
UNITS = ["陆军某合成旅", "海军某舰艇支队", "空军某航空兵旅", "火箭军某旅", "武警某支队"]
MERITS = ["third_class", "third_class", "commendation", "commendation", "outstanding_soldier", "second_class"]
DEEDS = ["退役后带头创业，吸纳12名退役军人就业", "长期义务照料孤寡老兵", "抗洪抢险中冲锋在前", "扎根社区调解矛盾纠纷"]
FAMILY_DEEDS = ["支持子女安心服役，家庭和睦", "照顾军人父母，热心拥军活动"]


def _users(district):
    profiles = StaffProfile.objects.select_related("user")
    center = profiles.filter(role=Role.STATION_STAFF, scope_level=AreaLevel.DISTRICT, district=district).first()
    leader = profiles.filter(role=Role.BUREAU_LEADER, district=district).first()
    return (center.user if center else None), (leader.user if leader else None)


def _worker_of(person, fallback):
    profile = StaffProfile.objects.filter(role=Role.GRID_WORKER, grids=person.grid_id).select_related("user").first()
    return profile.user if profile else fallback


def _people(district, kinds, count, rng):
    alive = Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
    ids = list(alive.filter(person_kind__in=kinds).order_by("id").values_list("pk", flat=True)[: count * 5])
    return list(Veteran.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))).order_by("id"))


def _clock_for(rng):
    """Moments in office hours, never after the real now (read once: inside demo_clock, now is
    the clock's own)."""
    real_now = timezone.now()
    return lambda day: min(office_hours(day, rng), real_now)


def _decided_round(district, center, leader, rng, at, today) -> tuple[int, int]:
    """This year's 最美退役军人: opened 60 days ago, nominated, decided 20 days ago, announced."""
    opened = today - datetime.timedelta(days=60)
    nominees = _people(district, [PersonKind.VETERAN], 6, rng)
    with demo_clock(at(opened)) as clock:
        selection = services.selection_open(
            district=district, name=f"{opened.year}年度“最美退役军人”", kind="most_beautiful", level="district",
            year=opened.year, nomination_deadline=today - datetime.timedelta(days=30), acting_user=leader,
        )  # fmt: skip
        clock.moment = at(today - datetime.timedelta(days=45))
        nominations = [
            services.nomination_add(
                selection=selection,
                veteran=person,
                nominated_by=f"{person.street.name}退役军人服务站",
                reason=rng.choice(DEEDS),
                acting_user=center,
            )
            for person in nominees
        ]
        decided_on = today - datetime.timedelta(days=20)
        clock.moment = at(decided_on)
        for index, nomination in enumerate(nominations):
            services.nomination_decide(
                nomination=nomination, selected=index % 2 == 0, decided_on=decided_on, acting_user=leader
            )
        if nominations:
            announced = today - datetime.timedelta(days=10)
            clock.moment = at(announced)
            services.selection_announce(selection=selection, announced_on=announced, acting_user=leader)
    return len(nominations), len(nominations[::2])


def _open_round(district, center, leader, rng, today) -> int:
    """五好家属 still taking nominations (until 20 days from now)."""
    selection = services.selection_open(
        district=district, name=f"{today.year}年度“五好家属”", kind="five_good_family", level="district",
        year=today.year, nomination_deadline=today + datetime.timedelta(days=20), acting_user=leader,
    )  # fmt: skip
    families = _people(district, [PersonKind.SERVING_FAMILY, PersonKind.MARTYR_SURVIVOR], 4, rng)
    for person in families:
        services.nomination_add(
            selection=selection, veteran=person, nominated_by=f"{person.community.name}",
            reason=rng.choice(FAMILY_DEEDS), acting_user=center,
        )  # fmt: skip
    return len(families)


def _merit_notices(district, center, rng, at, today) -> tuple[int, int]:
    """One notice per serving soldier's family picked: about half delivered, the rest waiting."""
    delivered = waiting = 0
    for person in _people(district, [PersonKind.SERVING_FAMILY], 10, rng):
        received = today - datetime.timedelta(days=rng.choice([3, 8, 12, 18, 25, 40]))
        with demo_clock(at(received)) as clock:
            notice = services.merit_notice_receive(
                family=person,
                soldier_name="" if rng.random() < 0.5 else rng.choice(SOLDIERS),
                unit=rng.choice(UNITS),
                merit_kind=rng.choice(MERITS),
                received_on=received,
                acting_user=center,
            )
            if rng.random() < 0.5:
                waiting += 1
                continue
            day = min(today, received + datetime.timedelta(days=rng.randint(1, 10)))
            clock.moment = at(day)
            way = rng.choice(["home", "home", "ceremony"])
            services.merit_notice_deliver(
                notice=notice,
                delivered_on=day,
                delivery_way=way,
                acting_user=_worker_of(person, center),
                note="家属签收，合影留念" if way == "home" else "八一座谈会上集中颁发",
            )
            delivered += 1
    return delivered, waiting


def build_demo_honours(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 31)
    district = District.objects.order_by("id").first()
    center, leader = _users(district) if district else (None, None)
    if center is None or leader is None:
        return {}
    today, at = timezone.localdate(), _clock_for(rng)
    nominated, selected = _decided_round(district, center, leader, rng, at, today)
    family_nominated = _open_round(district, center, leader, rng, today)
    delivered, waiting = _merit_notices(district, center, rng, at, today)
    return {
        "nominated": nominated + family_nominated, "selected": selected, "delivered": delivered, "waiting": waiting,
    }  # fmt: skip
