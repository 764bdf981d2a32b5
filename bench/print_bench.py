"""Issue 19 figure: the batch print of a community of 300 people — every archive card in one PDF,
built as the Celery job builds it (printing.services.print_batch_build).

The community is made for the run inside a transaction that is rolled back (300 people through the
veterans services, each with priority care, a family member, an honour and two visits), so every
run prints the same cards; the PDF it writes is deleted."""

import datetime
import secrets
import time

from django.db import connection, transaction
from django.utils import timezone

from bench.measure import Result
from core.errors import ApplicationError
from grids.models import AreaLevel, Role, Street
from grids.scoping import SYSTEM
from grids.services import area_create, staff_account_create
from printing.models import BatchLevel, BatchStatus, PrintBatch
from printing.services import print_batch_build
from veterans.identity import make_id_number
from veterans.services import family_member_save, honour_save, veteran_create
from visits.services import visit_record

PEOPLE = 300
TARGET_SECONDS = 60  # a station waits for its community's folder no longer than a minute
REGIONS = ("120101", "120102", "120103", "120104")  # Tianjin's central districts: real region codes


class _RollBack(Exception):
    pass


def _community(people: int):
    """A new community of two grids under the first street, `people` people and its station."""
    street = Street.objects.order_by("id").first()
    tag = secrets.token_hex(3).upper()
    community = area_create(
        level=AreaLevel.COMMUNITY, parent=street, code=f"PR{tag}", name="打印测试社区", acting_user=SYSTEM
    )
    grids = [
        area_create(
            level=AreaLevel.GRID, parent=community, code=f"PR{tag}{n}", name=f"打印测试{n}网格", acting_user=SYSTEM
        )
        for n in (1, 2)
    ]
    station = staff_account_create(
        username=f"bench_print_{tag.lower()}",
        password=secrets.token_urlsafe(24),
        full_name="打印测试员",
        role=Role.STATION_STAFF,
        scope_level=AreaLevel.COMMUNITY,
        area=community,
        acting_user=SYSTEM,
    ).user
    now = timezone.now()
    birth = datetime.date(1931, 2, 3)
    sequence = 0
    for n in range(people):
        while True:  # an ID number no file of the city has yet
            sequence += 1
            try:
                veteran = veteran_create(
                    grid=grids[n % 2],
                    acting_user=SYSTEM,
                    name=f"打印{n:03d}",
                    gender="M",
                    birth_date=birth,
                    id_number=make_id_number(REGIONS[sequence // 500 % len(REGIONS)], birth, sequence % 500, "M"),
                    veteran_type="discharged_soldier",
                    phone=f"139{n:08d}",
                    residence_address=f"打印测试路{n}号",
                    categories=[("korean_war", None)] if n % 3 == 0 else [("disabled", 5)],
                )
                break
            except ApplicationError:
                continue
        family_member_save(
            veteran=veteran, name=f"家属{n:03d}", relation="spouse", phone="13700000000", acting_user=SYSTEM
        )
        honour_save(veteran=veteran, kind="third_class", title="三等功", awarded_year=1979, acting_user=SYSTEM)
        for days in (40, 5):
            visit_record(
                veteran=veteran,
                acting_user=station,
                method="home",
                findings="身体状况良好，生活稳定",
                visited_at=now - datetime.timedelta(days=days),
            )
    return community, station


def bench_print(people: int = PEOPLE) -> list[Result]:
    result = None
    try:
        with transaction.atomic():
            community, station = _community(people)
            batch = PrintBatch.objects.create(
                requested_by=station,
                level=BatchLevel.COMMUNITY,
                area_id=community.pk,
                area_name=community.name,
                total=people,
                in_background=True,
            )
            queries_before = len(connection.queries)
            started = time.monotonic()
            batch = print_batch_build(batch_id=batch.pk)
            seconds = time.monotonic() - started
            assert batch.status == BatchStatus.DONE, batch.error
            size = batch.file.size
            batch.file.delete(save=False)
            result = Result(
                name=f"batch print, a community of {people} people ({batch.pages} pages, one PDF)",
                p50_ms=round(seconds * 1000, 1),
                queries=len(connection.queries) - queries_before if connection.queries_logged else None,
                rate=round(batch.pages / seconds, 1) if seconds else None,
                rate_unit="pages/s",
                target=f"≤ {TARGET_SECONDS} s",
                met=seconds <= TARGET_SECONDS and batch.pages >= people,
                extra={"seconds": round(seconds, 2), "pages": batch.pages, "people": people, "bytes": size},
            )
            raise _RollBack
    except _RollBack:
        pass
    return [result]


MEASURES = {"print": bench_print}
