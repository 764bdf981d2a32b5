"""Demo visits for the benchmark and the demo: spread over the last two years, in working hours,
COPY-loaded."""

import datetime
import random
import uuid

from django.db import connection, transaction
from django.utils import timezone

from core.db.bulk import copy_lines, is_postgres
from core.demo_clock import OFFICE_OPENS, OFFICE_SECONDS
from core.workdays import is_working_day
from grids.models import Role, StaffProfile
from veterans.models import Veteran
from visits.models import Visit, VisitKind, VisitMethod
from visits.schedule import refresh_visit_schedule

BATCH = 50_000
METHODS = [VisitMethod.HOME] * 6 + [VisitMethod.PHONE] * 3 + [VisitMethod.WECHAT, VisitMethod.STATION]
FINDINGS = ["身体状况良好", "生活稳定", "反映需要体检服务", "子女在外地，独居", "住院治疗中", "希望了解优抚政策", ""]
COLUMNS = [
    "client_id", "veteran_id", "district_id", "street_id", "community_id", "grid_id", "visited_at",
    "recorded_by_id", "method", "kind", "event_kind", "findings", "needs", "money", "goods", "goods_value",
    "follow_up_needed", "created_at",
]  # fmt: skip


def _line(row) -> str:
    client, pk, district, street, community, grid, when, recorder, method, kind, event, finding, needs = row[:13]
    money, goods, goods_value, follow_up, _created = row[13:]
    stamp = when.isoformat()
    return (
        f"{client}\t{pk}\t{district}\t{street}\t{community}\t{grid}\t{stamp}\t{recorder}\t{method}\t{kind}"
        f"\t{event}\t{finding}\t{needs}\t{money}\t{goods}\t{goods_value}\t{'t' if follow_up else 'f'}\t{stamp}\n"
    )


def _skip_foreign_key_checks() -> None:
    """Demo rows are built from existing ids; checking six foreign keys per row would triple
    the load time. Needs a superuser (the local benchmark server); otherwise keep the checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _recorders() -> dict[int, int]:
    """A grid worker per grid, to sign the visits."""
    links = StaffProfile.grids.through.objects.filter(staffprofile__role=Role.GRID_WORKER)
    return dict(links.values_list("grid_id", "staffprofile__user_id"))


def working_day_starts(*, days: int, today: datetime.date) -> list[datetime.datetime]:
    """The opening hour (Beijing time) of each working day among the `days` days before today
    (holidays and make-up working weekends as core.workdays has them): grid workers visit in
    office hours."""
    starts = []
    for back in range(1, days + 1):
        day = today - datetime.timedelta(days=back)
        if is_working_day(day):
            starts.append(timezone.make_aware(datetime.datetime.combine(day, OFFICE_OPENS)))
    return starts


def build_demo_visits(*, count: int, seed: int = 2026, progress=None) -> int:
    """Add `count` visits to random veterans over the last 730 days, in working hours on working
    days (PostgreSQL: COPY)."""
    rng = random.Random(seed * 31 + Visit.objects.count())
    veterans = list(Veteran.objects.values_list("id", "district_id", "street_id", "community_id", "grid_id"))
    recorders = _recorders()
    fallback = StaffProfile.objects.values_list("user_id", flat=True).first()
    days = working_day_starts(days=730, today=timezone.localdate())
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        rows = []
        for _ in range(size):
            pk, district, street, community, grid = rng.choice(veterans)
            when = rng.choice(days) + datetime.timedelta(seconds=rng.randrange(OFFICE_SECONDS + 1))
            money = rng.choice([0, 0, 0, 200, 500, 800, 1000])
            rows.append(
                (
                    uuid.UUID(int=rng.getrandbits(128)),
                    pk,
                    district,
                    street,
                    community,
                    grid,
                    when,
                    recorders.get(grid, fallback),
                    rng.choice(METHODS),
                    VisitKind.ROUTINE,
                    "",
                    rng.choice(FINDINGS),
                    "",
                    money,
                    "",
                    0,
                    False,
                    when,
                )
            )
        with transaction.atomic():
            if is_postgres():
                _skip_foreign_key_checks()
                # Plain f-strings: for ten million rows, per-value formatting is the bottleneck.
                copy_lines(Visit, COLUMNS, (_line(row) for row in rows))
            else:
                Visit.objects.bulk_create(Visit(**dict(zip(COLUMNS, row, strict=True))) for row in rows)
        created += size
        if progress:
            progress(created)
    _update_last_visits()
    return created


def _update_last_visits() -> None:
    """Last visit per veteran from the visits table, then the due dates that follow from it."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "UPDATE veterans_veteran v SET last_visit_on = (last.at AT TIME ZONE 'Asia/Shanghai')::date "
                "FROM (SELECT veteran_id, max(visited_at) AS at FROM visits_visit GROUP BY veteran_id) last "
                "WHERE last.veteran_id = v.id "
                "AND v.last_visit_on IS DISTINCT FROM (last.at AT TIME ZONE 'Asia/Shanghai')::date"
            )
        else:
            cursor.execute(
                "UPDATE veterans_veteran SET last_visit_on = (SELECT date(max(visited_at), '+8 hours') "
                "FROM visits_visit WHERE visits_visit.veteran_id = veterans_veteran.id) "
                "WHERE id IN (SELECT veteran_id FROM visits_visit)"
            )
    refresh_visit_schedule()
