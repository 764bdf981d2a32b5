"""Demo volunteers and referrals for `make run`, through the services: the first district's
service alliance after Pinghu's (红星团 medical, 军徽团 legal, 暖心团 emergency) with their
volunteers, its providers after Jiangmen's (purchased social-worker care for lone demobilised
veterans, a resident legal adviser, hospitals, an elder canteen), and referrals in every state,
some with their follow-up overdue. Each referral's steps are stamped in office hours of its own
days (core.demo_clock)."""

import datetime
import random

from django.utils import timezone

from core.demo_clock import demo_clock, office_hours
from grids.models import AreaLevel, District, Role, StaffProfile
from grids.scoping import SYSTEM
from referrals.models import Provider, ProviderKind, TeamKind, Volunteer, VolunteerTeam
from referrals.services import (
    provider_save,
    referral_answer,
    referral_cancel,
    referral_close,
    referral_make,
    referral_note_add,
    team_save,
    volunteer_save,
)
from veterans.models import LifeStatus, Veteran

TEAMS = [
    (
        "红星团",
        TeamKind.MEDICAL,
        "医疗保健、免费巡诊",
        [("周医生", "全科医生"), ("吴护士", "护理"), ("郑药师", "药学")],
    ),
    ("军徽团", TeamKind.LEGAL, "法律咨询、维权援助", [("钱律师", "律师"), ("孙调解员", "人民调解")]),
    (
        "暖心团",
        TeamKind.EMERGENCY,
        "应急救援、心理疏导",
        [("冯队长", "驾驶、急救"), ("陈社工", "心理咨询"), ("褚师傅", "水电维修")],
    ),
]
PROVIDERS = [
    ("百名社工联老兵服务中心", ProviderKind.SOCIAL_WORKER, "孤老复员军人衣食住行、医疗照料"),
    ("天福社区驻点法律顾问", ProviderKind.LEGAL_ADVISER, "法律咨询、代写文书、维权"),
    ("荣军医院", ProviderKind.HOSPITAL, "优抚对象免费体检、巡诊"),
    ("人民医院", ProviderKind.HOSPITAL, "住院绿色通道"),
    ("幸福里老年食堂", ProviderKind.ELDER_CANTEEN, "老年助餐、送餐上门"),
    ("人力资源和社会保障局", ProviderKind.DEPARTMENT, "就业援助、社保接续"),
]
NEEDS = {
    ProviderKind.SOCIAL_WORKER: ["独居孤老，需要生活照料", "老伴去世后情绪低落，需要心理疏导"],
    ProviderKind.LEGAL_ADVISER: ["与物业的纠纷，需要法律咨询", "工伤赔偿争议，需要代写文书"],
    ProviderKind.HOSPITAL: ["慢性病复查", "行动不便，需要上门巡诊"],
    ProviderKind.ELDER_CANTEEN: ["独居，行动不便，需要每日送餐", "午餐无人照料"],
    ProviderKind.DEPARTMENT: ["失业，需要就业援助"],
    ProviderKind.VOLUNTEER_TEAM: ["家中水电故障，需要上门维修", "需要陪同就医"],
}
# How far each referral gets; every state is there, and "waiting_late" is overdue for follow-up.
ENDINGS = ["waiting", "waiting_late", "accepted", "declined", "in_progress", "closed", "closed", "closed", "cancelled"]


def _district_staff(district) -> object:
    profile = (
        StaffProfile.objects.filter(role=Role.STATION_STAFF, scope_level=AreaLevel.DISTRICT, district=district)
        .select_related("user")
        .first()
    )
    return profile.user if profile else SYSTEM


def _grid_worker(veteran) -> object:
    profile = StaffProfile.objects.filter(role=Role.GRID_WORKER, grids=veteran.grid_id).select_related("user").first()
    return profile.user if profile else SYSTEM


def _build_list(district, center) -> list[Provider]:
    """The district's alliance and providers (kept if they are there already)."""
    providers = []
    for name, kind, description, members in TEAMS:
        team = VolunteerTeam.objects.filter(district=district, name=name).first() or team_save(
            team=VolunteerTeam(
                district=district, name=name, kind=kind, leader_name=members[0][0], description=description
            ),
            acting_user=center,
        )
        for number, (person, skills) in enumerate(members):
            if not Volunteer.objects.filter(team=team, name=person).exists():
                volunteer = Volunteer(team=team, name=person, skills=skills, phone=f"1370000{team.pk % 10}{number:03d}")
                volunteer_save(volunteer=volunteer, acting_user=center)
        providers.append((f"{name}志愿服务队", ProviderKind.VOLUNTEER_TEAM, description, team))
    providers = [(name, kind, services, None) for name, kind, services in PROVIDERS] + providers
    made = []
    for name, kind, services, team in providers:
        provider = Provider.objects.filter(district=district, name=name).first() or provider_save(
            provider=Provider(district=district, name=name, kind=kind, services=services, team=team),
            acting_user=center,
        )
        made.append(provider)
    return made


def _take_to(referral, ending: str, *, days: list[datetime.date], worker, center, clock, rng) -> None:
    """Take a new referral as far as `ending`, on the days (answered, noted, closed)."""
    answered, noted, closed = days
    if ending.startswith("waiting") or ending == "cancelled":
        if ending == "cancelled":
            clock.moment = office_hours(answered, rng)
            referral_cancel(referral=referral, reason="本人已自行解决，撤销转介", acting_user=center)
        return
    clock.moment = office_hours(answered, rng)
    if ending == "declined":
        referral_answer(
            referral=referral, accepted=False, note="服务名额已满", answered_on=answered, acting_user=center
        )
        return
    referral_answer(referral=referral, accepted=True, answered_on=answered, acting_user=center)
    if ending == "accepted":
        return
    clock.moment = office_hours(noted, rng)
    referral_note_add(referral=referral, text="已上门回访，服务正常开展", acting_user=worker)
    if ending == "closed":
        clock.moment = office_hours(closed, rng)
        referral_close(referral=referral, outcome="服务已落实，本人满意", closed_on=closed, acting_user=center)


def build_demo_referrals(*, referrals: int, seed: int) -> int:
    rng = random.Random(seed + 31)
    district = District.objects.order_by("id").first()
    if district is None:
        return 0
    center = _district_staff(district)
    providers = _build_list(district, center)
    people = list(
        Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .exclude(referrals__isnull=False)
        .order_by("id")[: referrals * 3]
    )
    rng.shuffle(people)
    today, made = timezone.localdate(), 0
    for number, veteran in enumerate(people[:referrals]):
        ending = ENDINGS[number % len(ENDINGS)]
        provider = rng.choice(providers)
        worker = _grid_worker(veteran)
        age = rng.randint(2, 5) if ending == "waiting" else rng.randint(15, 120)
        referred = today - datetime.timedelta(days=age)
        answered = referred + datetime.timedelta(days=rng.randint(0, 1))
        noted = min(today, answered + datetime.timedelta(days=rng.randint(1, 5)))
        closed = min(today, noted + datetime.timedelta(days=rng.randint(0, 10)))
        follow_up = today + datetime.timedelta(days=rng.randint(1, 10)) if ending != "waiting_late" else None
        with demo_clock(office_hours(referred, rng)) as clock:
            referral = referral_make(
                veteran=veteran,
                provider=provider,
                need=rng.choice(NEEDS[provider.kind]),
                referred_on=referred,
                follow_up_on=follow_up,
                acting_user=worker,
            )
            _take_to(
                referral,
                ending,
                days=[answered, noted, closed],
                worker=worker,
                center=center,
                clock=clock,
                rng=rng,
            )
        made += 1
    return made
