"""Demo skills training for `make run`: per district three providers, a finished course with
attendance and certificates, an open district course under way, and an open street course,
with job-seeking and unemployed veterans enrolled. Through the services, as the desk would."""

import datetime
import random

from django.utils import timezone

from grids.models import District, Street
from grids.scoping import SYSTEM
from training.models import CourseStatus, ProviderKind
from training.services import (
    attendance_record,
    course_create,
    course_set_status,
    enrolment_complete,
    enrolment_create,
    provider_save,
)
from veterans.models import Employment, LifeStatus, Veteran

PROVIDERS = [
    ("区职业技术学校", ProviderKind.VOCATIONAL_SCHOOL),
    ("兴业物业服务有限公司", ProviderKind.ENTERPRISE),
    ("区就业训练中心", ProviderKind.GOVERNMENT_CENTRE),
]
DAY = datetime.timedelta(days=1)


def _seekers(district: District, rng: random.Random, count: int, street: Street | None = None) -> list[Veteran]:
    people = Veteran.objects.filter(
        district=district,
        removed_at__isnull=True,
        life_status=LifeStatus.ALIVE,
        employment__in=[Employment.JOB_SEEKING, Employment.UNEMPLOYED],
    )
    if street is not None:
        people = people.filter(street=street)
    chosen = list(people.order_by("id").select_related("grid")[: count * 3])
    rng.shuffle(chosen)
    return chosen[:count]


def _attend(enrolment, days, rng: random.Random) -> None:
    for day in days:
        attendance_record(enrolment=enrolment, day=day, present=rng.random() < 0.9, acting_user=SYSTEM)


def _course(provider, title, trade, starts_on, length, places, street=None, certificate=""):
    return course_create(
        provider=provider,
        title=title,
        trade=trade,
        district=provider.district,
        street=street,
        starts_on=starts_on,
        ends_on=starts_on + (length - 1) * DAY,
        enrol_deadline=starts_on - DAY,
        places=places,
        certificate_name=certificate,
        acting_user=SYSTEM,
    )


def _build_district(district: District, rng: random.Random, today: datetime.date) -> int:
    school, company, centre = (
        provider_save(name=name, kind=kind, district=district, acting_user=SYSTEM) for name, kind in PROVIDERS
    )
    enrolled, seekers = 0, _seekers(district, rng, 14)
    # Finished some weeks ago: everyone attended, most earned the certificate.
    finished = _course(school, "电工技能培训", "电工", today - 40 * DAY, 4, 20, certificate="电工职业资格证书（五级）")
    for index, veteran in enumerate(seekers[:8]):
        enrolment = enrolment_create(course=finished, veteran=veteran, enrolled_on=today - 45 * DAY, acting_user=SYSTEM)
        _attend(enrolment, [finished.starts_on + n * DAY for n in range(4)], rng)
        number = f"DG{today.year}{district.pk:02d}{index + 1:03d}" if index % 4 else ""
        enrolment_complete(
            enrolment=enrolment,
            completed_on=finished.ends_on,
            certificate_number=number,
            certificate_on=finished.ends_on + 3 * DAY if number else None,
            acting_user=SYSTEM,
        )
        enrolled += 1
    course_set_status(course=finished, status=CourseStatus.FINISHED, acting_user=SYSTEM)
    # Under way: enrolled before it began, attendance up to today; enrolment still open.
    running = course_create(
        provider=centre,
        title="物业管理员培训",
        trade="物业管理",
        district=district,
        starts_on=today - 2 * DAY,
        ends_on=today + 12 * DAY,
        enrol_deadline=today + 3 * DAY,
        places=15,
        certificate_name="物业管理员（四级）",
        acting_user=SYSTEM,
    )
    for veteran in seekers[8:]:
        enrolment = enrolment_create(course=running, veteran=veteran, enrolled_on=today - 3 * DAY, acting_user=SYSTEM)
        _attend(enrolment, [running.starts_on + n * DAY for n in range(3)], rng)
        enrolled += 1
    # Open for one street only, starting next week.
    street = Street.objects.filter(district=district).order_by("id").first()
    upcoming = _course(company, "保安员岗前培训", "保安", today + 7 * DAY, 3, 12, street=street, certificate="保安员证")
    for veteran in _seekers(district, rng, 3, street=street):
        enrolment_create(course=upcoming, veteran=veteran, enrolled_on=today, acting_user=SYSTEM)
        enrolled += 1
    return enrolled


def build_demo_training(*, seed: int = 2026) -> int:
    """Providers, courses and enrolments in every district; returns the enrolments made."""
    rng, today = random.Random(seed), timezone.localdate()
    return sum(_build_district(district, rng, today) for district in District.objects.order_by("id"))
