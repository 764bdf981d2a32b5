"""Demo registry for `make run`, through the services: about one in five working-age people of the
first district registered (Zhenping kept 1,081 on its registry), partner employers and bases
(Zhenping set up 7 bases at veteran-run firms), three job fairs, and referrals answered."""

import datetime
import random

from django.utils import timezone

from employment.models import WORKING_AGE_FROM, WORKING_AGE_TO, Employer, EmploymentBase, JobFair
from employment.rules import make_credit_code
from employment.services import (
    employer_save,
    employment_base_save,
    employment_profile_register,
    employment_status_change,
    fair_attendance_record,
    job_fair_save,
    job_referral_create,
    job_referral_result,
)
from grids.models import District
from grids.scoping import SYSTEM
from veterans.models import LifeStatus, Veteran

EMPLOYERS = [
    ("秦巴老兵农业专业合作社", True),
    ("安康兵哥物流有限公司", True),
    ("山城绿源茶业有限公司", False),
    ("县城乡公共交通有限公司", False),
    ("金穗农业开发有限公司", False),
    ("军创电子科技有限公司", True),
]
POSITIONS = ["仓库管理员", "货车司机", "安保队长", "茶园技术员", "公交驾驶员", "电工", "质检员"]
SKILLS = ["汽车驾驶", "电工", "厨师", "挖掘机操作", "计算机维护", "养殖技术", "茶叶种植", ""]
WORKPLACES = ["县供电公司", "镇卫生院", "某建筑公司", "县自来水公司", "村集体经济合作社"]
STATUS_WEIGHTS = [("employed", 45), ("self_employed", 20), ("seeking", 20), ("not_seeking", 15)]
SHARE = 0.2
MAX_PROFILES = 200


def _working_age(district, today: datetime.date):
    oldest = today.replace(year=today.year - WORKING_AGE_TO - 1) + datetime.timedelta(days=1)
    youngest = today.replace(year=today.year - WORKING_AGE_FROM - 1)  # of age on the registration day too
    people = Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
    return list(people.filter(birth_date__gte=oldest, birth_date__lte=youngest).select_related("grid").order_by("id"))


def _employers(district, rng: random.Random) -> list[Employer]:
    region = district.code[:6] if district.code.isdigit() and len(district.code) >= 6 else "610927"
    made = []
    for serial, (name, veteran_owned) in enumerate(EMPLOYERS, start=1):
        employer = Employer(
            name=name,
            credit_code=make_credit_code(region, district.pk * 100 + serial),
            district=district,
            contact_name=rng.choice(["王经理", "李主任", "张厂长"]),
            contact_phone=f"0915-{rng.randint(8000000, 8999999)}",
            veteran_owned=veteran_owned,
        )
        made.append(employer_save(employer=employer, acting_user=SYSTEM))
    for employer in made[:3]:
        base = EmploymentBase(
            name=f"{employer.name}就业创业基地",
            employer=employer,
            district=district,
            address=f"{district.name}工业园区",
            capacity=rng.choice([20, 30, 50]),
            established_on=datetime.date(2019, 8, 1),
        )
        employment_base_save(base=base, acting_user=SYSTEM)
    return made


def _register(person, rng: random.Random, today: datetime.date):
    statuses = [name for name, weight in STATUS_WEIGHTS for _ in range(weight)]
    status = rng.choice(statuses)
    since = today - datetime.timedelta(days=rng.randint(200, 2000))
    since = max(since, person.birth_date.replace(year=person.birth_date.year + WORKING_AGE_FROM + 2))
    profile = employment_profile_register(
        person=person,
        status=status,
        status_since=min(since, today),
        registered_on=today - datetime.timedelta(days=rng.randint(100, 190)),
        workplace=rng.choice(WORKPLACES) if status == "employed" else "",
        skills=rng.choice(SKILLS),
        wants_job=status == "seeking",
        wants_training=rng.random() < 0.3,
        wants_business=status == "self_employed" or rng.random() < 0.1,
        acting_user=SYSTEM,
    )
    if status == "not_seeking" and rng.random() < 0.4:
        day = today - datetime.timedelta(days=rng.randint(5, 90))
        if day >= profile.status_since:
            employment_status_change(
                profile=profile, status="self_employed", changed_on=day, note="返乡创业（演示）", acting_user=SYSTEM
            )
    return profile


def build_demo_employment(*, seed: int) -> int:
    """Registers about SHARE of the working-age people of the first district; returns how many."""
    rng = random.Random(seed + 20)
    district = District.objects.order_by("id").first()
    if district is None:
        return 0
    today = timezone.localdate()
    employers = _employers(district, rng)
    people = [person for person in _working_age(district, today) if rng.random() < SHARE][:MAX_PROFILES]
    profiles = [_register(person, rng, today) for person in people]
    seekers = [p for p in profiles if p.status == "seeking"]
    for profile in seekers[: max(1, len(seekers) * 2 // 3)]:
        referred_on = today - datetime.timedelta(days=rng.randint(10, 60))
        referral = job_referral_create(
            person=profile.person,
            employer=rng.choice(employers),
            position=rng.choice(POSITIONS),
            referred_on=max(referred_on, profile.status_since),
            acting_user=SYSTEM,
        )
        result = rng.choice(["hired", "hired", "rejected", "declined", "pending"])
        if result != "pending":
            job_referral_result(
                referral=referral,
                result=result,
                result_on=referral.referred_on + datetime.timedelta(days=rng.randint(3, 9)),
                acting_user=SYSTEM,
            )
    _fairs(district, profiles, rng, today)
    return len(profiles)


def _fairs(district, profiles, rng: random.Random, today: datetime.date) -> None:
    names = ["退役军人专场招聘会", "春风行动招聘会", "“八一”老兵就业招聘会"]
    for offset, name in zip((150, 75, 20), names, strict=True):
        fair = job_fair_save(
            fair=JobFair(
                name=name,
                held_on=today - datetime.timedelta(days=offset),
                place=f"{district.name}人力资源市场",
                district=district,
                employers_count=rng.randint(15, 40),
                positions_count=rng.randint(150, 600),
            ),
            acting_user=SYSTEM,
        )
        for profile in rng.sample(profiles, min(len(profiles), 6)):
            if profile.status != "seeking" or profile.status_since > fair.held_on:
                continue
            hired = rng.random() < 0.3
            fair_attendance_record(
                fair=fair,
                person=profile.person,
                offers=rng.randint(0, 3),
                offer_employers="安康兵哥物流有限公司" if hired else "",
                hired_on=fair.held_on + datetime.timedelta(days=7) if hired else None,
                workplace="安康兵哥物流有限公司" if hired else "",
                acting_user=SYSTEM,
            )
            profile.refresh_from_db()
