"""A realistic, deterministic demo area, built with bulk inserts.

By default one district shaped like Tianjin's Heping (6 streets, 64 communities, 629 grids),
each grid with one grid leader and its workers, station staff for every street and community
and a bureau leader. Later issues add veterans and visits on top of this area.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from grids.models import AreaLevel, Community, District, Grid, Role, StaffProfile, Street
from grids.roles import ROLE_GROUP_NAMES, ROLES_WITH_ADMIN_ACCESS

DEMO_PASSWORD = "Junren#2026"  # noqa: S105 (printed for the demo, never used in production)

# Tianjin's districts with their real GB/T 2260 codes, so ID numbers can match later.
DISTRICTS = [
    ("120101", "和平区"),
    ("120102", "河东区"),
    ("120103", "河西区"),
    ("120104", "南开区"),
    ("120105", "河北区"),
    ("120106", "红桥区"),
    ("120110", "东丽区"),
    ("120111", "西青区"),
    ("120112", "津南区"),
    ("120113", "北辰区"),
    ("120114", "武清区"),
    ("120115", "宝坻区"),
    ("120116", "滨海新区"),
    ("120117", "宁河区"),
    ("120118", "静海区"),
    ("120119", "蓟州区"),
]
HEPING_STREETS = ["劝业场街道", "小白楼街道", "五大道街道", "新兴街道", "南市街道", "南营门街道"]
STREET_WORDS = (
    "东风 建设 胜利 友谊 光明 新华 前进 解放 向阳 振兴 和平 复兴 永安 长江 黄河 中山 民主 团结 朝阳 红星"
).split()
COMMUNITY_WORDS = (
    "朝阳 兴南 福安 新华 和平 建设 长春 安善 崇仁 宝鸡 多伦 滨西 汇文 新津 昆明 大理 睦南 "
    "常德 重庆 成都 西宁 贵州 赤峰 哈密 锦州 山西 唐山 营口 南京 辽宁 四平 保定 桂林 开封 "
    "洛阳 泰安 烟台 威海 青岛 济南 曲阜 泉州 厦门 福州 杭州 苏州 扬州 镇江 无锡 常州 庆丰 "
    "荣业 万全 广兴 文化 园林 丰盛 兰江 松竹 梅江 桃园 柳林 槐荫 杨柳"
).split()
COMMUNITY_SUFFIXES = ["里社区", "社区", "园社区", "道社区"]
NUMERALS = "一二三四五六七八九十"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌波宇浩凯鹏辉林海峰雪梅晨阳"

NAMED_ACCOUNTS = [
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员（区）"),
    ("city_leader", Role.BUREAU_LEADER, "市局领导（全市）"),
    ("leader", Role.BUREAU_LEADER, "局领导（区）"),
    ("center_staff", Role.STATION_STAFF, "区服务中心工作人员"),
    ("street_staff", Role.STATION_STAFF, "街道服务站工作人员"),
    ("community_staff", Role.STATION_STAFF, "社区服务站工作人员"),
    ("grid_leader", Role.GRID_LEADER, "网格长"),
    ("grid_worker", Role.GRID_WORKER, "网格员"),
]


@dataclass
class DemoSummary:
    districts: int = 0
    streets: int = 0
    communities: int = 0
    grids: int = 0
    users: int = 0


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` items over `parts` buckets, each at least one, sizes varying like real areas."""
    if parts > total:
        raise ValueError("every parent needs at least one child")
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    for index in range(total - sum(sizes)):
        sizes[index % parts] += 1
    return sizes


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "189", "136"]) + f"{rng.randrange(10**8):08d}"


def _community_names(count: int, rng: random.Random, first: str | None) -> list[str]:
    words = COMMUNITY_WORDS[:]
    rng.shuffle(words)
    names = [first] if first else []
    index = 0
    while len(names) < count:
        word = words[index % len(words)]
        suffix = COMMUNITY_SUFFIXES[(index // len(words)) % len(COMMUNITY_SUFFIXES)]
        candidate = word + suffix
        if candidate not in names:
            names.append(candidate)
        index += 1
    return names


def demo_exists() -> bool:
    return District.objects.exists()


@transaction.atomic
def build_demo_area(
    *,
    seed: int = 2026,
    districts: int = 1,
    streets: int = 6,
    communities: int = 64,
    grids: int = 629,
    workers_per_grid: int = 2,
) -> DemoSummary:
    """Build the area and its staff; `streets`, `communities`, `grids` are per district."""
    rng = random.Random(seed)
    summary = DemoSummary()
    district_rows = [
        District(
            code=code,
            name=name,
            station_name=f"{name}退役军人服务中心",
            station_address=f"天津市{name}{rng.choice(STREET_WORDS)}路{rng.randint(1, 300)}号",
            station_phone=f"022-{rng.randint(20000000, 29999999)}",
        )
        for code, name in DISTRICTS[:districts]
    ]
    District.objects.bulk_create(district_rows)

    street_rows = []
    for district in district_rows:
        names = HEPING_STREETS[:streets] if district.code == "120101" else []
        extra = [w + "街道" for w in STREET_WORDS if w + "街道" not in names]
        rng.shuffle(extra)
        names = (names + extra)[:streets]
        for index, name in enumerate(names, start=1):
            street_rows.append(
                Street(
                    district=district,
                    code=f"{district.code}{index:03d}",
                    name=name,
                    station_name=f"{name}退役军人服务站",
                    station_address=f"{district.name}{name}党群服务中心",
                    station_phone=f"022-{rng.randint(20000000, 29999999)}",
                )
            )
    Street.objects.bulk_create(street_rows, batch_size=1000)

    community_rows = []
    for district in district_rows:
        district_streets = [s for s in street_rows if s.district_id == district.pk]
        for street, count in zip(district_streets, _split(communities, len(district_streets), rng), strict=True):
            first = "朝阳里社区" if street.name == "劝业场街道" else None
            for index, name in enumerate(_community_names(count, rng, first), start=1):
                community_rows.append(
                    Community(
                        district_id=district.pk,
                        street=street,
                        code=f"{street.code}{index:03d}",
                        name=name,
                        station_name=f"{name}退役军人服务站",
                        station_address=f"{street.name}{name}党群服务中心",
                        station_phone=f"022-{rng.randint(20000000, 29999999)}",
                    )
                )
    Community.objects.bulk_create(community_rows, batch_size=1000)

    grid_rows = []
    for district in district_rows:
        district_communities = [c for c in community_rows if c.district_id == district.pk]
        sizes = _split(grids, len(district_communities), rng)
        for community, count in zip(district_communities, sizes, strict=True):
            short = community.name.removesuffix("社区")
            for index in range(1, count + 1):
                numeral = NUMERALS[index - 1] if index <= 10 else str(index)
                grid_rows.append(
                    Grid(
                        district_id=district.pk,
                        street_id=community.street_id,
                        community=community,
                        code=f"{community.code}{index:03d}",
                        name=f"{short}第{numeral}网格",
                    )
                )
    Grid.objects.bulk_create(grid_rows, batch_size=2000)

    _build_staff(rng, summary, district_rows, street_rows, community_rows, grid_rows, workers_per_grid)
    summary.districts, summary.streets = len(district_rows), len(street_rows)
    summary.communities, summary.grids = len(community_rows), len(grid_rows)
    return summary


def _build_staff(rng, summary, district_rows, street_rows, community_rows, grid_rows, workers_per_grid):
    user_model = get_user_model()
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing per user takes minutes
    plans: list[tuple[str, str, Role, str, object]] = []  # username, full name, role, level, area

    def plan(username, role, level, area):
        plans.append((username, _person_name(rng), role, level, area))

    first_district, first_street = district_rows[0], street_rows[0]
    first_community, first_grid = community_rows[0], grid_rows[0]
    plan("sysadmin", Role.SYSTEM_ADMIN, AreaLevel.DISTRICT, first_district)
    plan("city_leader", Role.BUREAU_LEADER, AreaLevel.CITY, None)
    plan("leader", Role.BUREAU_LEADER, AreaLevel.DISTRICT, first_district)
    plan("center_staff", Role.STATION_STAFF, AreaLevel.DISTRICT, first_district)
    plan("street_staff", Role.STATION_STAFF, AreaLevel.STREET, first_street)
    plan("community_staff", Role.STATION_STAFF, AreaLevel.COMMUNITY, first_community)
    for district in district_rows[1:]:
        plan(f"leader_{district.code}", Role.BUREAU_LEADER, AreaLevel.DISTRICT, district)
    for street in street_rows[1:]:
        plan(f"s{street.code}", Role.STATION_STAFF, AreaLevel.STREET, street)
    for community in community_rows[1:]:
        plan(f"c{community.code}", Role.STATION_STAFF, AreaLevel.COMMUNITY, community)
    for grid in grid_rows:
        is_first = grid is first_grid
        plan("grid_leader" if is_first else f"g{grid.code}l", Role.GRID_LEADER, AreaLevel.GRID, grid)
        for number in range(1, workers_per_grid + 1):
            name = "grid_worker" if is_first and number == 1 else f"g{grid.code}w{number}"
            plan(name, Role.GRID_WORKER, AreaLevel.GRID, grid)

    users = [
        user_model(
            username=username,
            first_name=full_name,
            password=password_hash,
            is_staff=role in ROLES_WITH_ADMIN_ACCESS,
        )
        for username, full_name, role, _level, _area in plans
    ]
    user_model.objects.bulk_create(users, batch_size=2000)
    profiles = []
    for user, (_u, _n, role, level, area) in zip(users, plans, strict=True):
        profile = StaffProfile(user=user, role=role, scope_level=level, phone=_phone(rng))
        if level == AreaLevel.CITY:
            profiles.append(profile)  # no area keys: the whole city
            continue
        profile.district_id = area.pk if level == AreaLevel.DISTRICT else area.district_id
        if level in (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID):
            profile.street_id = area.pk if level == AreaLevel.STREET else area.street_id
        if level in (AreaLevel.COMMUNITY, AreaLevel.GRID):
            profile.community_id = area.pk if level == AreaLevel.COMMUNITY else area.community_id
        profiles.append(profile)
    StaffProfile.objects.bulk_create(profiles, batch_size=2000)
    grid_links = [
        StaffProfile.grids.through(staffprofile_id=profile.pk, grid_id=area.pk)
        for profile, (_u, _n, _r, level, area) in zip(profiles, plans, strict=True)
        if level == AreaLevel.GRID
    ]
    StaffProfile.grids.through.objects.bulk_create(grid_links, batch_size=5000)
    groups = {role: Group.objects.get(name=name) for role, name in ROLE_GROUP_NAMES.items()}
    memberships = [
        user_model.groups.through(user_id=user.pk, group_id=groups[role].pk)
        for user, (_u, _n, role, _l, _a) in zip(users, plans, strict=True)
    ]
    user_model.groups.through.objects.bulk_create(memberships, batch_size=5000)

    summary.users = len(users)
