"""Demo veterans in believable proportions, bulk-inserted (a million on PostgreSQL in minutes).

ID numbers are valid and carry their district's region code (a few carry another Tianjin
district's, as people move); types, priority care, party membership, families and honours
follow the shares stations report.

The other entitled persons (优抚对象: martyrs' and fallen soldiers' survivors, serving soldiers'
families) come from `build_demo_entitled`, each with the soldier the file derives from.
"""

import datetime
import random
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from core.crypto.cipher import id_number_hash, phone_hash
from core.db.bulk import copy_rows, is_postgres, reserve_ids
from grids.demo import DISTRICTS, GIVEN, SURNAMES
from grids.models import Grid
from veterans.identity import make_id_number
from veterans.models import (
    KIND_SOLDIER_STATUS,
    Branch,
    Employment,
    FamilyMember,
    FamilyRelation,
    Honour,
    HonourKind,
    MedicalInsurance,
    PartyRelation,
    PersonKind,
    PriorityCare,
    PriorityCategory,
    SoldierStatus,
    SourceSoldier,
    Veteran,
    VeteranType,
)
from veterans.rules import completeness_score, name_search_keys
from veterans.services import derive_fields, validate_source_soldier, validate_veteran
from veterans.visit_schedule import refresh_visit_schedule

BATCH = 5000
TODAY = datetime.date(2026, 11, 1)
OTHER_REGIONS = [code for code, _name in DISTRICTS]


def _weighted(rng: random.Random, table: list[tuple[object, float]]):
    return rng.choices([value for value, _w in table], weights=[w for _v, w in table])[0]


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_ids: set[str] = set()  # keyed hashes: the numbers themselves are encrypted

    def name(self, gender: str) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def phone(self) -> str:
        return (
            self.rng.choice(["138", "139", "135", "150", "186", "189", "133", "177"])
            + f"{self.rng.randrange(10**8):08d}"
        )

    def id_number(self, region: str, birth: datetime.date, gender: str) -> str:
        for _attempt in range(50):
            number = make_id_number(region, birth, self.rng.randrange(500), gender)
            key = id_number_hash(number)
            if key not in self.used_ids:
                self.used_ids.add(key)
                return number
        raise RuntimeError("could not find a free ID number")  # 500 codes a day: never in practice


def _birth_date(rng: random.Random) -> datetime.date:
    year = int(
        _weighted(rng, [(1928, 1), (1935, 3), (1945, 8), (1955, 14), (1965, 18), (1975, 20), (1985, 20), (1995, 16)])
    )
    year += rng.randrange(0, 10)
    year = min(year, 2004)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _veteran_type(rng: random.Random, birth: datetime.date) -> str:
    if birth.year < 1960:
        return _weighted(
            rng,
            [
                (VeteranType.DEMOBILISED, 35),
                (VeteranType.DISCHARGED_SOLDIER, 40),
                (VeteranType.RETIRED_CADRE, 12),
                (VeteranType.TRANSFERRED_OFFICER, 13),
            ],
        )
    return _weighted(
        rng,
        [
            (VeteranType.DISCHARGED_SOLDIER, 76),
            (VeteranType.RETIRED_NCO, 14),
            (VeteranType.TRANSFERRED_OFFICER, 10),
        ],
    )


def _categories(rng: random.Random, birth: datetime.date, veteran_type: str) -> list[tuple[str, int | None]]:
    result = []
    if rng.random() < 0.03:
        result.append((PriorityCategory.DISABLED, _weighted(rng, [(g, 1 + g) for g in range(1, 11)])))
    if birth.year < 1934 and rng.random() < 0.8:
        result.append((PriorityCategory.KOREAN_WAR, None))
    if 1938 <= birth.year <= 1968 and rng.random() < 0.06:
        result.append((PriorityCategory.WAR_OR_NUCLEAR_TEST, None))
    if veteran_type == VeteranType.DEMOBILISED and rng.random() < 0.4:
        result.append((PriorityCategory.IN_VILLAGE_DEMOBILISED, None))
    for category, share in (
        (PriorityCategory.MARTYR_FAMILY, 0.004),
        (PriorityCategory.DIED_ON_DUTY_FAMILY, 0.003),
        (PriorityCategory.DIED_OF_ILLNESS_FAMILY, 0.003),
        (PriorityCategory.RETURNED_ILL, 0.01),
    ):
        if rng.random() < share:
            result.append((category, None))
    return result


def _address(rng: random.Random, street: str, community: str) -> str:
    building, unit, room = rng.randint(1, 40), rng.randint(1, 6), rng.randint(1, 9) * 100 + rng.randint(1, 4)
    return f"天津市{street}{community}{building}号楼{unit}门{room}"


def _plaque_date(rng: random.Random) -> datetime.date | None:
    return datetime.date(rng.randint(2018, 2025), rng.randint(1, 12), 1) if rng.random() < 0.7 else None


def _employment(rng: random.Random, age: int) -> str:
    if age >= 60:
        return Employment.RETIRED
    return _weighted(
        rng,
        [
            (Employment.EMPLOYED, 62),
            (Employment.SELF_EMPLOYED, 18),
            (Employment.UNEMPLOYED, 6),
            (Employment.JOB_SEEKING, 6),
            ("", 8),
        ],
    )


def _veteran(rng: random.Random, people: _People, grid: Grid, region: str, street: str, community: str):
    gender = "M" if rng.random() < 0.94 else "F"
    birth = _birth_date(rng)
    age = TODAY.year - birth.year
    veteran_type = _veteran_type(rng, birth)
    enlisted = datetime.date(birth.year + rng.randint(17, 21), rng.choice([3, 9, 12]), 1)
    years = rng.randint(2, 5) if veteran_type == VeteranType.DISCHARGED_SOLDIER else rng.randint(8, 30)
    discharged = min(datetime.date(enlisted.year + years, rng.choice([3, 9, 12]), 1), TODAY)
    party = rng.random() < 0.33
    id_region = region if rng.random() < 0.9 else rng.choice(OTHER_REGIONS)
    name = people.name(gender)
    veteran = Veteran(
        name=name,
        gender=gender,
        id_number=people.id_number(id_region, birth, gender),
        birth_date=birth,
        ethnicity="汉族" if rng.random() < 0.95 else rng.choice(["回族", "满族", "蒙古族", "朝鲜族"]),
        phone=people.phone() if rng.random() < 0.95 else "",
        residence_address=_address(rng, street, community),
        household_registration="天津市" if rng.random() < 0.9 else "",
        veteran_type=veteran_type,
        branch=_weighted(
            rng,
            [
                (Branch.ARMY, 58),
                (Branch.NAVY, 10),
                (Branch.AIR_FORCE, 12),
                (Branch.ROCKET_FORCE, 5),
                (Branch.ARMED_POLICE, 9),
                (Branch.LOGISTICS, 3),
                ("", 3),
            ],
        ),
        enlistment_date=enlisted if rng.random() < 0.97 else None,
        discharge_date=discharged,
        is_party_member=party,
        party_relation=_weighted(
            rng,
            [
                (PartyRelation.IN_PLACE, 84),
                (PartyRelation.POCKET, 8),
                (PartyRelation.MOBILE, 6),
                ("", 2),
            ],
        )
        if party
        else "",
        employment=_employment(rng, age),
        medical_insurance=_weighted(
            rng,
            [
                (MedicalInsurance.EMPLOYEE, 55),
                (MedicalInsurance.RESIDENT, 38),
                (MedicalInsurance.NONE, 2),
                ("", 5),
            ],
        ),
        skills=rng.choice(["", "", "", "驾驶", "电工", "厨师", "维修", "安保", "计算机"]),
        service_needs=rng.choice(["", "", "", "", "就业帮扶", "医疗服务", "上门走访", "政策咨询"]),
        serious_illness=rng.choice(["", ""] * 20 + ["冠心病", "肿瘤", "脑梗"]),
        minimum_living_allowance=rng.random() < 0.03,
        extreme_poverty=rng.random() < 0.005,
        registered_poor=rng.random() < 0.01,
        glory_plaque_hung_on=_plaque_date(rng),
    )
    veteran.place_in_grid(grid)
    veteran.id_tail, veteran.id_number_hash = veteran.id_number[-4:], id_number_hash(veteran.id_number)
    veteran.phone_tail, veteran.phone_hash = veteran.phone[-4:], phone_hash(veteran.phone)
    veteran.name_pinyin, veteran.name_initials = name_search_keys(name)
    family = []
    if rng.random() < 0.85:
        surname = name[0]
        family.append(
            FamilyMember(
                name=people.name("F"), relation=FamilyRelation.SPOUSE, phone=people.phone(), is_military_family=True
            )
        )
        for _child in range(rng.choice([0, 1, 1, 2])):
            family.append(
                FamilyMember(
                    name=surname + rng.choice(GIVEN) + rng.choice(GIVEN),
                    relation=FamilyRelation.CHILD,
                    phone=people.phone(),
                )
            )
    honours = []
    if rng.random() < 0.12:
        kind = _weighted(
            rng,
            [
                (HonourKind.COMMENDATION, 55),
                (HonourKind.THIRD_CLASS, 35),
                (HonourKind.SECOND_CLASS, 7),
                (HonourKind.FIRST_CLASS, 1),
                (HonourKind.TITLE, 2),
            ],
        )
        honours.append(Honour(kind=kind, awarded_year=min(discharged.year, enlisted.year + rng.randint(1, 3))))
    veteran.completeness = completeness_score(veteran, family_count=len(family))
    return veteran, _categories(rng, birth, veteran_type), family, honours


def _grids() -> list[tuple[Grid, str, str, str]]:
    rows = Grid.objects.select_related("district", "street", "community").order_by("id")
    return [(g, g.district.code, g.street.name, g.community.name) for g in rows]


def _chunks(total: int) -> Iterator[int]:
    while total > 0:
        yield min(BATCH, total)
        total -= BATCH


def build_demo_veterans(*, count: int, seed: int = 2026, progress=None) -> int:
    """Add `count` veterans spread over all grids. Returns the number created."""
    rng = random.Random(seed * 7919 + Veteran.objects.count())
    people = _People(rng)
    people.used_ids.update(Veteran.objects.values_list("id_number_hash", flat=True).iterator(chunk_size=20_000))
    grids = _grids()
    if not grids:
        raise ValueError("build the demo area first")
    write = _copy_batch if is_postgres() else _insert_batch
    created = 0
    for size in _chunks(count):
        with transaction.atomic():
            write([_veteran(rng, people, *rng.choice(grids)) for _ in range(size)])
        created += size
        if progress:
            progress(created)
    refresh_visit_schedule(Veteran.objects.filter(visit_interval_days__isnull=True))
    return created


def _insert_batch(built) -> None:
    veterans = Veteran.objects.bulk_create([b[0] for b in built], batch_size=BATCH)
    care, family, honours = [], [], []
    for veteran, (_v, categories, members, awards) in zip(veterans, built, strict=True):
        care.extend(PriorityCare(veteran=veteran, category=c, disability_grade=g) for c, g in categories)
        for member in members:
            member.veteran = veteran
            family.append(member)
        for award in awards:
            award.veteran = veteran
            honours.append(award)
    PriorityCare.objects.bulk_create(care, batch_size=BATCH)
    FamilyMember.objects.bulk_create(family, batch_size=BATCH)
    Honour.objects.bulk_create(honours, batch_size=BATCH)


def _columns(model, skip=("id",)) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _copy_batch(built) -> None:
    """Same rows as _insert_batch, through COPY with reserved ids (PostgreSQL)."""
    now = timezone.now()
    ids = reserve_ids(Veteran, len(built))
    veteran_fields = [f for f in Veteran._meta.concrete_fields]
    rows = []
    care, family, honours = [], [], []
    for pk, (veteran, categories, members, awards) in zip(ids, built, strict=True):
        veteran.pk = pk
        veteran.created_at = veteran.updated_at = now
        rows.append([getattr(veteran, f.attname) for f in veteran_fields])
        care.extend((pk, c, g) for c, g in categories)
        family.extend((pk, m.name, m.relation, m.phone, m.is_military_family) for m in members)
        honours.extend((pk, h.kind, h.title, h.awarded_year) for h in awards)
    copy_rows(Veteran, [f.column for f in veteran_fields], rows)
    copy_rows(PriorityCare, ["veteran_id", "category", "disability_grade"], care)
    copy_rows(FamilyMember, ["veteran_id", "name", "relation", "phone", "is_military_family"], family)
    copy_rows(Honour, ["veteran_id", "kind", "title", "awarded_year"], honours)


# The other entitled persons (优抚对象): files of any kind but a veteran's, in the shares
# stations report (weights).
ENTITLED_KINDS = [
    (PersonKind.MARTYR_SURVIVOR, 30),
    (PersonKind.DIED_ON_DUTY_SURVIVOR, 14),
    (PersonKind.DIED_OF_ILLNESS_SURVIVOR, 14),
    (PersonKind.SERVING_FAMILY, 34),
    (PersonKind.OTHER_ENTITLED, 8),
]
# The priority-care category a survivor's file carries.
KIND_CATEGORY = {
    PersonKind.MARTYR_SURVIVOR: PriorityCategory.MARTYR_FAMILY,
    PersonKind.DIED_ON_DUTY_SURVIVOR: PriorityCategory.DIED_ON_DUTY_FAMILY,
    PersonKind.DIED_OF_ILLNESS_SURVIVOR: PriorityCategory.DIED_OF_ILLNESS_FAMILY,
}
# When and where the soldiers a survivor's file derives from died: (from, to, places).
SOLDIER_DEATHS = {
    SoldierStatus.MARTYR: [
        (datetime.date(1979, 2, 17), datetime.date(1979, 3, 16), ["广西凭祥", "广西龙州", "云南河口"]),
        (datetime.date(1984, 4, 28), datetime.date(1989, 12, 31), ["云南老山", "云南者阴山"]),
        (datetime.date(1998, 7, 1), datetime.date(1998, 9, 10), ["江西九江", "湖北嘉鱼"]),
        (datetime.date(2008, 5, 12), datetime.date(2008, 7, 31), ["四川汶川", "四川北川"]),
        (datetime.date(2012, 1, 1), datetime.date(2023, 12, 31), ["西藏某边防哨所", "新疆某边防连", "抢险救灾现场"]),
    ],
    SoldierStatus.DIED_ON_DUTY: [
        (datetime.date(1985, 1, 1), datetime.date(2023, 12, 31), ["河北某训练基地", "内蒙古某训练场", "天津某营区"]),
    ],
    SoldierStatus.DIED_OF_ILLNESS: [
        (datetime.date(1975, 1, 1), datetime.date(2023, 12, 31), ["部队驻地医院", "解放军总医院", "天津某部队医院"]),
    ],
}
AGE_AT_DEATH = {
    SoldierStatus.MARTYR: (18, 26),
    SoldierStatus.DIED_ON_DUTY: (19, 35),
    SoldierStatus.DIED_OF_ILLNESS: (24, 50),
}
UNITS_BEFORE_2010 = ["陆军某部", "原北京军区某部", "原成都军区某部", "武警某部", "海军某部", "空军某部"]
UNITS_NOW = ["陆军某集团军某旅", "陆军某合成旅", "武警天津总队某支队", "海军某舰艇支队", "空军某航空兵旅", "火箭军某旅"]
# Share of each kind's files that draw a regular subsidy (定期抚恤补助); survivors otherwise.
SUBSIDY_SHARE = {PersonKind.SERVING_FAMILY: 0.0, PersonKind.OTHER_ENTITLED: 0.6}
SURVIVOR_SUBSIDY_SHARE = 0.75
# The first files go to the first grid (the demo grid worker's), so the phone list shows them too.
FIRST_GRID_FILES = 3
OLDEST_BIRTH_YEAR = 1928


def _given(rng: random.Random) -> str:
    return rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _soldier(rng: random.Random, status: str) -> tuple[SourceSoldier, int, int]:
    """The soldier (name and relation still to fill), his birth year and his age (at death)."""
    if status == SoldierStatus.SERVING:
        born = rng.randint(1995, 2005)
        return SourceSoldier(status=status, unit=rng.choice(UNITS_NOW)), born, TODAY.year - born
    first, last, places = rng.choice(SOLDIER_DEATHS[status])
    died = _day_between(rng, first, last)
    age = rng.randint(*AGE_AT_DEATH[status])
    martyr = status == SoldierStatus.MARTYR
    soldier = SourceSoldier(
        status=status,
        unit=rng.choice(UNITS_BEFORE_2010 if died.year < 2010 else UNITS_NOW),
        death_date=died,
        death_place=rng.choice(places),
        certificate_number=f"烈证字第{died.year}{rng.randrange(1, 10_000):04d}号" if martyr else "",
    )
    return soldier, died.year - age, age


def _kin(rng: random.Random, soldier_born: int, soldier_age: int, serving: bool) -> tuple[str, int, str]:
    """How the person is related to the soldier, their birth year and gender. The soldiers are
    men; parents of soldiers who fell long ago are mostly gone, so a parent born before
    OLDEST_BIRTH_YEAR is drawn again."""
    options = [(FamilyRelation.PARENT, 6)]
    if soldier_age >= 22:
        options.append((FamilyRelation.SPOUSE, 3))
    if soldier_age >= 25 and not serving:
        options.append((FamilyRelation.CHILD, 3))
    if not serving:
        options.append((FamilyRelation.SIBLING, 1))
    relation, year = FamilyRelation.SIBLING, soldier_born + 8
    for _attempt in range(10):
        relation = _weighted(rng, options)
        if relation == FamilyRelation.PARENT:
            year = soldier_born - rng.randint(20, 32)
        elif relation == FamilyRelation.SPOUSE:
            year = soldier_born + rng.randint(-2, 4)
        elif relation == FamilyRelation.CHILD:
            year = soldier_born + rng.randint(22, soldier_age)
        else:
            year = soldier_born + rng.randint(2, 12)
        if year >= OLDEST_BIRTH_YEAR:
            break
    gender = "F" if relation == FamilyRelation.SPOUSE else rng.choice("MF")
    return relation, max(year, OLDEST_BIRTH_YEAR), gender


def _entitled(rng, people, grid, region, street, community, *, today):
    """One entitled person's file, its priority care, its soldier and a family member, checked
    by the services' own rules (veterans.services) before the bulk insert."""
    kind = _weighted(rng, ENTITLED_KINDS)
    status = KIND_SOLDIER_STATUS.get(kind)
    soldier, surname = None, rng.choice(SURNAMES)
    if status is None:
        relation, birth_year, gender = None, rng.randint(1935, 1965), rng.choice("MF")
        name = people.name(gender)
    else:
        soldier, soldier_born, soldier_age = _soldier(rng, status)
        relation, birth_year, gender = _kin(rng, soldier_born, soldier_age, status == SoldierStatus.SERVING)
        soldier.name, soldier.relation = surname + _given(rng), relation
        # A son or daughter, a brother or sister, and a father carry the soldier's surname.
        keeps_surname = relation in (FamilyRelation.CHILD, FamilyRelation.SIBLING) or (
            relation == FamilyRelation.PARENT and gender == "M"
        )
        name = (surname if keeps_surname else rng.choice(SURNAMES)) + _given(rng)
    birth = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
    age = TODAY.year - birth.year
    id_region = region if rng.random() < 0.9 else rng.choice(OTHER_REGIONS)
    plaque = _plaque_date(rng) if status is not None else None
    person = Veteran(
        name=name,
        gender=gender,
        id_number=people.id_number(id_region, birth, gender),
        birth_date=birth,
        ethnicity="汉族" if rng.random() < 0.95 else rng.choice(["回族", "满族", "蒙古族"]),
        phone=people.phone() if rng.random() < 0.92 else "",
        residence_address=_address(rng, street, community),
        household_registration="天津市" if rng.random() < 0.9 else "",
        person_kind=kind,
        receives_regular_subsidy=rng.random() < SUBSIDY_SHARE.get(kind, SURVIVOR_SUBSIDY_SHARE),
        employment=_employment(rng, age) if age >= 16 else "",
        medical_insurance=_weighted(rng, [(MedicalInsurance.EMPLOYEE, 45), (MedicalInsurance.RESIDENT, 50), ("", 5)]),
        serious_illness=rng.choice([""] * 12 + ["冠心病", "高血压", "糖尿病"]),
        minimum_living_allowance=rng.random() < 0.05,
        glory_plaque_hung_on=plaque if plaque and plaque >= birth else None,  # the file's rule: not before birth
    )
    person.place_in_grid(grid)
    validate_veteran(person, today=today)
    if soldier is not None:
        validate_source_soldier(person, soldier, today=today)
    family = []
    if rng.random() < 0.8:
        spouse = relation == FamilyRelation.PARENT and rng.random() < 0.5
        family.append(
            FamilyMember(
                name=people.name("M" if gender == "F" else "F") if spouse else name[0] + _given(rng),
                relation=FamilyRelation.SPOUSE if spouse else FamilyRelation.CHILD,
                phone=people.phone(),
            )
        )
    derive_fields(person, family_count=len(family))
    categories = [KIND_CATEGORY[kind]] if kind in KIND_CATEGORY else []
    return person, categories, soldier, family


def build_demo_entitled(*, count: int, seed: int = 2026) -> int:
    """Add `count` files of entitled persons who are not veterans (survivors, serving soldiers'
    families, other entitled persons) spread over all grids; every survivor's and family
    member's file names its soldier. Returns the number created."""
    rng = random.Random(seed * 7907 + Veteran.objects.count())
    people = _People(rng)
    people.used_ids.update(Veteran.objects.values_list("id_number_hash", flat=True).iterator(chunk_size=20_000))
    grids = _grids()
    if not grids:
        raise ValueError("build the demo area first")
    today = timezone.localdate()
    built = [
        _entitled(rng, people, *(grids[0] if index < FIRST_GRID_FILES else rng.choice(grids)), today=today)
        for index in range(count)
    ]
    # A few hundred rows at most: bulk_create on every database (returning the new ids).
    with transaction.atomic():
        persons = Veteran.objects.bulk_create([b[0] for b in built], batch_size=BATCH)
        care, soldiers, family = [], [], []
        for person, (_person, categories, soldier, members) in zip(persons, built, strict=True):
            care.extend(PriorityCare(veteran=person, category=category) for category in categories)
            if soldier is not None:
                soldier.person = person
                soldiers.append(soldier)
            for member in members:
                member.veteran = person
                family.append(member)
        PriorityCare.objects.bulk_create(care)
        SourceSoldier.objects.bulk_create(soldiers)
        FamilyMember.objects.bulk_create(family)
    refresh_visit_schedule(Veteran.objects.filter(pk__in=[person.pk for person in persons]))
    return len(persons)
