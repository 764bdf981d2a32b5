"""Demo appeals for `make run`: every category and state, some overdue, through the services.

Appeals already resolved were received over the past year (their steps on working days, in
office hours: core.demo_clock), so the dashboard's monthly trends have a history; appeals still
open were received within the last weeks."""

import datetime
import random

from django.utils import timezone

from appeals.models import AppealCategory
from appeals.services import (
    appeal_assign,
    appeal_documents_receive,
    appeal_feedback,
    appeal_note_add,
    appeal_resolve,
)
from appeals.services import appeal_open as open_
from core.demo_clock import demo_clock, office_hours
from grids.models import AreaLevel, District, Role, StaffProfile
from veterans.models import LifeStatus, Veteran

SUBJECTS = {
    "question": ["优待证办理流程", "军休干部待遇咨询", "光荣牌申领"],
    "hardship": ["冬季取暖费困难", "老伴住院无人照料"],
    "dispute": ["与邻居宅基地纠纷", "物业费争议"],
    "request": ["希望安排就业培训", "门诊报销比例", "老旧住房修缮"],
    "agency": ["申请伤残等级评定", "带病回乡认定", "参战身份认定"],
}
ENDINGS = ["open", "open", "note", "assigned", "resolved", "closed", "closed", "closed"]
HISTORY_DAYS = 365  # resolved appeals were received within the past year
RECENT_DAYS = 70  # open ones within these last days


def _people(veteran, district):
    worker = StaffProfile.objects.filter(role=Role.GRID_WORKER, grids=veteran.grid_id).select_related("user").first()
    stations = StaffProfile.objects.filter(role=Role.STATION_STAFF).select_related("user")
    station = (
        stations.filter(scope_level=AreaLevel.STREET, street_id=veteran.street_id).first()
        or stations.filter(scope_level=AreaLevel.DISTRICT, district=district).first()
    )
    return (worker.user if worker else None), (station.user if station else None)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours of `day`, but not after the real now (an appeal received today)."""
    return min(office_hours(day, rng), timezone.now())


def build_demo_appeals(*, appeals: int, seed: int) -> int:
    rng = random.Random(seed + 7)
    timing = random.Random(seed + 8)  # when things happened: the appeals themselves stay as they were
    district = District.objects.order_by("id").first()
    categories = list(AppealCategory.objects.filter(active=True))
    if district is None or not categories:
        return 0
    veterans = list(
        Veteran.objects.filter(district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True)
        .exclude(appeals__isnull=False)
        .order_by("id")[: appeals * 4]
    )
    rng.shuffle(veterans)
    today, made = timezone.localdate(), 0
    for veteran in veterans[:appeals]:
        worker, station = _people(veteran, district)
        if worker is None or station is None:
            continue
        category = rng.choice(categories)
        days_ago = rng.randint(0, RECENT_DAYS)
        channel = rng.choice(["visit", "visit", "phone", "station", "letter"])
        subject = rng.choice(SUBJECTS[category.kind])
        ending = rng.choice(ENDINGS)
        finished = ending in ("resolved", "closed")
        if finished:
            days_ago = timing.randint(0, HISTORY_DAYS)
        received = today - datetime.timedelta(days=days_ago)
        resolved = min(today, received + datetime.timedelta(days=rng.randint(2, 25) if finished else 0))
        opened_at = _at(received, timing)
        resolved_at = max(opened_at, _at(resolved, timing))  # (before the clock: _at reads the real now)
        with demo_clock(opened_at) as clock:
            appeal = open_(
                veteran=veteran,
                category=category,
                channel=channel,
                subject=subject,
                content="（演示数据）老人反映的情况",
                received_on=received,
                acting_user=worker,
            )
            if ending == "open":
                made += 1
                continue
            appeal_note_add(appeal=appeal, text="已上门了解情况", acting_user=worker)
            if ending != "note":
                appeal_assign(appeal=appeal, handler=station, acting_user=station)
            if finished:
                clock.moment = resolved_at
                missing = [d.pk for d in appeal.documents.all()]
                if missing:
                    appeal_documents_receive(
                        appeal=appeal, document_ids=missing, received_on=received, acting_user=station
                    )
                appeal_resolve(appeal=appeal, resolution="已协调解决并答复", resolved_on=resolved, acting_user=station)
            if ending == "closed":
                appeal_feedback(
                    appeal=appeal, satisfaction=rng.choice(["satisfied", "satisfied", "basically"]), acting_user=worker
                )
        made += 1
    return made
