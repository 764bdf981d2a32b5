"""Demo service projects for `make run` (seed_demo --service-projects N): a three-level catalogue
of 30 items, needs found on visits and at the stations, and projects in every status, through
the services, by the demo's own grid workers, stations and bureau leader."""

import datetime
import random

from django.utils import timezone

from grids.models import AreaLevel, District, Role, StaffProfile
from grids.scoping import SYSTEM
from projects.models import ServiceItem
from projects.services import (
    evaluation_record,
    item_save,
    need_record,
    project_deliver,
    project_propose,
    project_review,
)
from veterans.models import LifeStatus, Veteran

# (name, level, category): a small slice of Pinghu's 884-item list, by level.
CATALOGUE = [
    ("退役军人优待证办理", "county", "policy"),
    ("伤残等级评定代办", "county", "care"),
    ("优抚对象医疗费用减免", "county", "health"),
    ("退役军人创业担保贷款", "county", "employment"),
    ("适应性培训与职业技能培训", "county", "employment"),
    ("法律援助律师咨询", "county", "legal"),
    ("心理疏导与关爱帮扶", "county", "care"),
    ("光荣之家悬挂光荣牌", "county", "culture"),
    ("烈士纪念设施祭扫服务", "county", "culture"),
    ("军休干部健康体检", "county", "health"),
    ("镇街退役军人就业招聘会", "town", "employment"),
    ("镇卫生院上门健康体检", "town", "health"),
    ("困难退役军人临时走访慰问", "town", "care"),
    ("政策宣讲进村社", "town", "policy"),
    ("矛盾纠纷调解", "town", "legal"),
    ("家庭医生签约服务", "town", "health"),
    ("老兵助餐服务", "town", "daily_life"),
    ("退役军人志愿服务队活动", "town", "culture"),
    ("住房安全隐患排查", "town", "daily_life"),
    ("子女入学政策咨询", "town", "policy"),
    ("高龄老兵上门理发", "village", "daily_life"),
    ("代购代办生活用品", "village", "daily_life"),
    ("节日上门慰问", "village", "care"),
    ("独居老兵每周探访", "village", "care"),
    ("家电维修与水电检修", "village", "daily_life"),
    ("读报与智能手机教学", "village", "culture"),
    ("代缴医保与社保", "village", "policy"),
    ("陪同就医", "village", "health"),
    ("庭院清扫与助农收割", "village", "daily_life"),
    ("立功喜报送达", "village", "culture"),
]
NEEDS = {
    "daily_life": ["行动不便，希望有人上门理发", "独居，冰箱坏了无人修理", "秋收缺人手"],
    "health": ["高血压需定期上门测量", "老伴住院需陪同就医", "希望做一次全面体检"],
    "care": ["老伴去世后情绪低落", "家中困难，希望走访慰问"],
    "employment": ["儿子退役后想找工作", "想办小型养殖场，缺启动资金"],
    "policy": ["不清楚优待证怎么办", "孙子入学优待政策咨询"],
    "legal": ["与邻居宅基地纠纷", "工伤赔偿需法律咨询"],
    "culture": ["想参加老兵志愿服务队", "希望学用智能手机"],
}
# Each demo project ends in one of these states (evaluated most often, as in a running station).
ENDINGS = ["proposed", "approved", "rejected", "delivered", "evaluated", "evaluated", "evaluated", "delivered"]
PROVIDERS = ["镇卫生院", "村社服务站志愿者", "区退役军人服务中心", "社区养老服务中心", "律师事务所"]


def build_demo_catalogue() -> list[ServiceItem]:
    items = []
    for name, level, category in CATALOGUE:
        item = ServiceItem.objects.filter(name=name, level=level).first()
        item = item or item_save(item=ServiceItem(name=name, level=level, category=category), acting_user=SYSTEM)
        items.append(item)
    return items


def _staff(role: str, **area) -> object | None:
    profile = StaffProfile.objects.filter(role=role, user__is_active=True, **area).select_related("user").first()
    return profile.user if profile else None


def _crew(person: Veteran, crews: dict) -> tuple:
    """The person's grid worker, the station of their street (or the district's), the leader.
    The same user objects for a whole build: their permissions and scope are then read once."""
    key = (person.grid_id, person.street_id, person.district_id)
    if key not in crews:
        worker = _staff(Role.GRID_WORKER, grids=person.grid_id)
        station = _staff(Role.STATION_STAFF, scope_level=AreaLevel.STREET, street_id=person.street_id) or _staff(
            Role.STATION_STAFF, scope_level=AreaLevel.DISTRICT, district_id=person.district_id
        )
        crews[key] = (worker, station, _staff(Role.BUREAU_LEADER, district_id=person.district_id))
    return crews[key]


def _later(day: datetime.date, rng: random.Random, low: int, high: int) -> datetime.date:
    return min(day + datetime.timedelta(days=rng.randint(low, high)), timezone.localdate())


def _one_project(index: int, person: Veteran, items, rng: random.Random, crews: dict) -> bool:
    worker, station, leader = _crew(person, crews)
    if worker is None or station is None or leader is None:
        return False
    item = rng.choice(items)
    today = timezone.localdate()
    recorded_on = today - datetime.timedelta(days=rng.randint(60, 300))
    need = need_record(
        person=person,
        item=item,
        description=rng.choice(NEEDS[item.category]),
        source=rng.choice(["visit", "visit", "station"]),
        recorded_on=recorded_on,
        acting_user=worker,
    )
    # Every third project also serves a neighbour of the same grid (a group service).
    neighbours = list(
        Veteran.objects.filter(grid_id=person.grid_id, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .exclude(pk=person.pk)
        .order_by("id")[:1]
    )
    project = project_propose(
        title=item.name,
        item=item,
        needs=[need],
        people=neighbours if index % 3 == 0 else [],
        proposed_on=_later(recorded_on, rng, 1, 5),
        acting_user=station,
    )
    ending = ENDINGS[index % len(ENDINGS)]
    if ending == "proposed":
        return True
    reviewed_on = _later(project.proposed_on, rng, 1, 5)
    approve = ending != "rejected"
    note = "" if approve else "已纳入镇级统一安排，不单独立项"
    project_review(project=project, approve=approve, reviewed_on=reviewed_on, note=note, acting_user=leader)
    if ending in ("approved", "rejected"):
        return True
    cost = rng.choice(["0", "0", "80.00", "150.00", "600.00"])
    project_deliver(
        project=project,
        delivered_on=_later(reviewed_on, rng, 3, 40),
        delivered_by=rng.choice(PROVIDERS),
        cost=cost,
        acting_user=station,
    )
    if ending == "evaluated":
        for delivery in project.deliveries.all():
            evaluation_record(
                delivery=delivery,
                satisfaction=rng.choice([5, 5, 5, 4, 4, 3, 2]),
                comment=rng.choice(["服务很周到", "态度好，及时", "希望以后常来", ""]),
                evaluated_on=_later(delivery.delivered_on, rng, 1, 7),
                acting_user=worker,
            )
    return True


def build_demo_projects(*, projects: int, seed: int) -> int:
    """`projects` projects (each from a need), plus a third as many needs not yet proposed."""
    rng = random.Random(seed + 20)
    crews: dict[tuple, tuple] = {}
    items = build_demo_catalogue()
    district = District.objects.order_by("id").first()
    if district is None:
        return 0
    people = list(
        Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .select_related("grid")
        .order_by("id")[: projects * 20]
    )
    if not people:
        return 0
    chosen = rng.sample(people, min(len(people), projects + projects // 3))
    made = sum(_one_project(index, person, items, rng, crews) for index, person in enumerate(chosen[:projects]))
    for person in chosen[projects:]:
        worker, _station, _leader = _crew(person, crews)
        if worker is not None:
            item = rng.choice(items)
            need_record(
                person=person,
                item=item,
                description=rng.choice(NEEDS[item.category]),
                source="visit",
                recorded_on=timezone.localdate() - datetime.timedelta(days=rng.randint(0, 20)),
                acting_user=worker,
            )
    return made
