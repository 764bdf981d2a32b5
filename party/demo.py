"""Demo party organisations for `make run`, through the services: a committee per street and a
branch per community of the first district's first communities, some in-place members of those
communities under their branch, follow-ups of their pocket and mobile members in every state
(new, assigned, with steps, overdue, brought in), and a few meetings with attendance marked."""

import datetime
import random

from django.utils import timezone

from grids.models import AreaLevel, Community, District, Role, StaffProfile
from grids.scoping import SYSTEM
from party.models import AttendanceStatus, OrganisationKind, PartyOrganisation
from party.services import (
    attendance_mark,
    followup_assign,
    followup_bring_in,
    followup_open,
    followup_step_add,
    life_record,
    membership_add,
    organisation_save,
)
from veterans.models import LifeStatus, PartyRelation, Veteran

MEMBERS_PER_BRANCH = 6  # enough to show a branch and its meetings; keeps `make run` quick
ENDINGS = ["new", "assigned", "steps", "overdue", "brought_in"]
LIFE = [
    ("lecture", "学习贯彻党的二十大精神专题党课"),
    ("theme_day", "“老兵讲党史”主题党日"),
    ("training", "退役军人党员骨干培训"),
]
ATTENDANCE = [AttendanceStatus.PRESENT] * 4 + [AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT]
SECRETARIES = ["刘建华", "陈卫东", "杨志强", "黄国庆", "赵红军", "周海峰"]


def _organisation(name: str, kind: str, area, parent=None) -> PartyOrganisation:
    existing = PartyOrganisation.objects.filter(district_id=area.district_id if area.level != "district" else area.pk)
    found = existing.filter(name=name).first()
    if found:
        return found
    organisation = PartyOrganisation(name=name, kind=kind, parent=parent, secretary_name=SECRETARIES[len(name) % 6])
    setattr(organisation, area.level, area)
    return organisation_save(organisation=organisation, acting_user=SYSTEM)


def _station_of(community: Community):
    profile = (
        StaffProfile.objects.filter(
            role=Role.STATION_STAFF, scope_level=AreaLevel.STREET, street_id=community.street_id
        )
        .select_related("user")
        .first()
    )
    return profile.user if profile else None


def _day_between(rng: random.Random, earliest: datetime.date, latest: datetime.date) -> datetime.date:
    return earliest + datetime.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))


def _follow_up(person: Veteran, branch, ending: str, rng: random.Random, today: datetime.date, station) -> None:
    days_ago = 45 if ending == "overdue" else rng.randint(3, 25)
    opened_on = today - datetime.timedelta(days=days_ago)
    follow_up = followup_open(person=person, opened_on=opened_on, acting_user=SYSTEM)
    if ending == "new":
        return
    if station is not None:
        followup_assign(follow_up=follow_up, assigned_to=station, acting_user=SYSTEM)
    if ending == "assigned":
        return
    contacted = _day_between(rng, opened_on, today)
    followup_step_add(
        follow_up=follow_up, on=contacted, kind="contact", note="电话联系本人，了解组织关系所在", acting_user=SYSTEM
    )
    if ending in ("steps", "brought_in"):
        papers = _day_between(rng, contacted, today)
        followup_step_add(
            follow_up=follow_up, on=papers, kind="documents", note="收到组织关系介绍信", acting_user=SYSTEM
        )
    if ending == "brought_in":
        followup_bring_in(
            follow_up=follow_up, organisation=branch, joined_on=today, closed_on=today, acting_user=SYSTEM
        )


def build_demo_party(*, seed: int, communities: int = 4) -> int:
    """Returns the number of organisations made."""
    rng = random.Random(seed + 20)
    district = District.objects.order_by("id").first()
    if district is None:
        return 0
    today = timezone.localdate()
    chosen = list(Community.objects.filter(district=district).select_related("street").order_by("id")[:communities])
    members = Veteran.objects.filter(is_party_member=True, removed_at__isnull=True, life_status=LifeStatus.ALIVE)
    made = 0
    for index, community in enumerate(chosen):
        committee = _organisation(f"{community.street.name}退役军人党委", OrganisationKind.COMMITTEE, community.street)
        branch = _organisation(
            f"{community.street.name}{community.name}退役军人党支部", OrganisationKind.BRANCH, community, committee
        )
        made += 2
        joined = datetime.date(2019 + index % 4, 7, 1)
        in_place = members.filter(community=community, party_relation=PartyRelation.IN_PLACE, party_memberships=None)
        for person in in_place.order_by("id")[:MEMBERS_PER_BRANCH]:
            membership_add(
                person=person, organisation=branch, joined_on=max(joined, person.birth_date), acting_user=SYSTEM
            )
        outside = members.filter(community=community, party_relation__in=[PartyRelation.POCKET, PartyRelation.MOBILE])
        for number, person in enumerate(outside.exclude(party_followups__isnull=False).order_by("id")):
            _follow_up(person, branch, ENDINGS[(number + index) % len(ENDINGS)], rng, today, _station_of(community))
        for kind, topic in LIFE[: 1 + index % 3]:
            held_on = today - datetime.timedelta(days=rng.randint(5, 150))
            life = life_record(organisation=branch, kind=kind, held_on=held_on, topic=topic, acting_user=SYSTEM)
            for attendance in life.attendance.select_related("person"):
                status = rng.choice(ATTENDANCE)
                if status != AttendanceStatus.ABSENT:  # absent until marked
                    attendance_mark(life=life, person=attendance.person, status=status, acting_user=SYSTEM)
    return made
