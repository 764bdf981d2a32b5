"""The nightly snapshot: every grid's figures for one day, written in one upsert per batch.

Live figures and snapshots are counted by the same functions (dashboard.figures), so a
snapshot of today agrees with the live page on the same data (tested, field by field).
"""

import datetime

from django.db import transaction
from django.db.models import Count

from core.db.replicas import stale_reads
from dashboard import figures as counting
from dashboard.models import GridSnapshot
from grids.models import AreaLevel, Grid
from grids.scoping import SYSTEM, scope_queryset
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

# The state at the end of the day, stored under the name the live figures have.
STATE_FIELDS = [
    "veterans", "priority_total", "age_80_plus", "hardship", "major_contribution", "merit_awards", "party_members",
    "party_pocket", "party_mobile", "complete", "completeness_sum", "plaques", "overdue", "covered", "cases_open",
    "cases_overdue", "appeals_open", "appeals_overdue", "wishes", "wishes_fulfilled", *counting.KIND_FIELDS,
]  # fmt: skip
# What happened during the day.
DAY_FIELDS = ["visits", "paid_cases", "paid_amount", "days_to_payment_sum"]


def snapshot_take(*, day: datetime.date) -> int:
    """Store (or replace) the snapshot of every grid for `day`; returns the number of grids.
    Counted where stale reads are allowed (a replica, when there is one), written at once."""
    with stale_reads():
        snapshots = _grid_snapshots(day)
    with transaction.atomic():
        snapshots_upsert(snapshots)
    return len(snapshots)


def _grid_snapshots(day: datetime.date) -> list[GridSnapshot]:
    rows: dict[int, counting.Figures] = {}

    def row(grid_id: int) -> counting.Figures:
        return rows.setdefault(grid_id, counting.Figures())

    start, end = counting.midnight(day), counting.midnight(day + datetime.timedelta(days=1))
    # The whole city, still through the one scoping function, as every job reads.
    veterans = scope_queryset(SYSTEM, Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE))
    counting.count_veterans(veterans, "grid_id", day, row)
    counting.count_priority_totals(veterans, "grid_id", row)
    counting.count_honours(veterans, "grid_id", row)
    city = (SYSTEM, AreaLevel.CITY, None, "grid_id")
    counting.count_cases(*city, day, row, paid_from=start, paid_until=end)
    counting.count_appeals(*city, day, row)
    counting.count_wishes(*city, row)
    counting.count_registered(*city, day, row)
    visits = scope_queryset(SYSTEM, Visit.objects.filter(visited_at__gte=start, visited_at__lt=end))
    visits = visits.order_by().values("grid_id")
    daily_visits = {r["grid_id"]: r["n"] for r in visits.annotate(n=Count("id"))}
    snapshots = []
    for grid in Grid.objects.only("id", "community_id", "street_id", "district_id").iterator(chunk_size=5000):
        figures = rows.get(grid.pk, counting.Figures())
        snapshot = GridSnapshot(
            day=day,
            **{name: getattr(figures, name) for name in STATE_FIELDS},
            visits=daily_visits.get(grid.pk, 0),
            paid_cases=figures.paid_cases,
            paid_amount=figures.paid_amount,
            days_to_payment_sum=sum(figures.days_to_payment),
            extra=figures.extra,
        )
        snapshot.place_in_grid(grid)
        snapshots.append(snapshot)
    return snapshots


def snapshots_upsert(snapshots: list[GridSnapshot]) -> None:
    """Write grid-days, replacing any already written for the same grid and day."""
    GridSnapshot.objects.bulk_create(
        snapshots,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["grid", "day"],
        update_fields=[*STATE_FIELDS, *DAY_FIELDS, "extra"],
    )
