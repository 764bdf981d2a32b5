"""The nightly snapshot: every grid's figures for one day, written in one upsert per batch.

Live figures and snapshots are counted by the same functions (dashboard.figures), so a
snapshot of today agrees with the live page on the same data (tested).
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assistance.models import HardshipCase
from dashboard.figures import OPEN_CASES, Figures, count_priority_totals, count_veterans
from dashboard.models import GridSnapshot
from grids.models import Grid
from veterans.models import LifeStatus, Veteran
from visits.models import Visit


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


@transaction.atomic
def snapshot_take(*, day: datetime.date) -> int:
    """Store (or replace) the snapshot of every grid for `day`; returns the number of grids."""
    rows: dict[int, Figures] = {}

    def row(grid_id: int) -> Figures:
        return rows.setdefault(grid_id, Figures())

    veterans = Veteran.objects.filter(removed_at__isnull=True, life_status=LifeStatus.ALIVE)
    count_veterans(veterans, "grid_id", day, row)
    count_priority_totals(veterans, "grid_id", row)
    start, end = _day_bounds(day)
    visits = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end).order_by().values("grid_id")
    daily_visits = {r["grid_id"]: r["n"] for r in visits.annotate(n=Count("id"))}
    cases = (
        HardshipCase.objects.order_by()
        .values("grid_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_CASES)),
            paid=Count("id", filter=Q(paid_at__gte=start, paid_at__lt=end)),
            amount=Sum("amount_approved", filter=Q(paid_at__gte=start, paid_at__lt=end)),
        )
    )
    daily_cases = {r["grid_id"]: r for r in cases}
    snapshots = []
    for grid in Grid.objects.only("id", "community_id", "street_id", "district_id").iterator(chunk_size=5000):
        figures, case_row = rows.get(grid.pk, Figures()), daily_cases.get(grid.pk, {})
        snapshot = GridSnapshot(
            day=day, veterans=figures.veterans, priority_total=figures.priority_total,
            party_members=figures.party_members, complete=figures.complete, plaques=figures.plaques,
            overdue=figures.overdue, covered=figures.covered, visits=daily_visits.get(grid.pk, 0),
            cases_open=case_row.get("open", 0), paid_cases=case_row.get("paid", 0),
            paid_amount=case_row.get("amount") or 0,
        )  # fmt: skip
        snapshot.place_in_grid(grid)
        snapshots.append(snapshot)
    GridSnapshot.objects.bulk_create(
        snapshots, batch_size=2000, update_conflicts=True, unique_fields=["grid", "day"],
        update_fields=[
            "veterans", "priority_total", "party_members", "complete", "plaques", "overdue", "covered", "visits",
            "cases_open", "paid_cases", "paid_amount",
        ],
    )  # fmt: skip
    return len(snapshots)
