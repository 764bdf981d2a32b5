"""Reads of the annual confirmation, always through the scope: the station's list, the figures
per area for the dashboard, and who hears of suspensions."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from confirmations.models import Confirmation, ConfirmationStatus, SubsidySuspension
from grids.models import AreaLevel, Role, StaffProfile
from grids.scoping import scope_queryset
from veterans.models import LifeStatus


def eligible_q() -> Q:
    """Who must be confirmed: recipients of a regular subsidy, alive and on file."""
    return Q(receives_regular_subsidy=True, life_status=LifeStatus.ALIVE, removed_at__isnull=True)


def suspended_q() -> Q:
    return Q(Exists(SubsidySuspension.objects.filter(confirmation=OuterRef("pk"), resumed_on__isnull=True)))


def overdue_q(day: datetime.date) -> Q:
    return Q(status=ConfirmationStatus.PENDING, round__deadline__lt=day)


def confirmations_for(*, user, year: int | None = None) -> QuerySet[Confirmation]:
    queryset = Confirmation.objects.select_related("veteran", "round", "street", "community", "grid", "confirmed_by")
    if year is not None:
        queryset = queryset.filter(year=year)
    return scope_queryset(user, queryset).annotate(suspended=suspended_q())


def confirmation_figures(
    *, user, year: int, day: datetime.date | None = None, level: str = AreaLevel.STREET
) -> list[dict]:
    """Per area at `level` (street, community or grid): confirmed, pending, overdue and
    suspended counts for the year, plus a total row's worth in each row's keys."""
    day = day or timezone.localdate()
    key = {AreaLevel.STREET: "street", AreaLevel.COMMUNITY: "community", AreaLevel.GRID: "grid"}[level]
    rows = (
        scope_queryset(user, Confirmation.objects.filter(year=year))
        .values(f"{key}_id", f"{key}__name")
        .annotate(
            confirmed=Count("id", filter=Q(status=ConfirmationStatus.CONFIRMED)),
            pending=Count("id", filter=Q(status=ConfirmationStatus.PENDING) & ~overdue_q(day)),
            overdue=Count("id", filter=overdue_q(day)),
            suspended=Count("id", filter=suspended_q()),
        )
        .order_by(f"{key}__name", f"{key}_id")
    )
    return [
        {
            "area_id": row[f"{key}_id"],
            "area": row[f"{key}__name"],
            "confirmed": row["confirmed"],
            "pending": row["pending"],
            "overdue": row["overdue"],
            "suspended": row["suspended"],
        }
        for row in rows
    ]


def confirmation_totals(*, user, year: int, day: datetime.date | None = None) -> dict:
    totals = {"confirmed": 0, "pending": 0, "overdue": 0, "suspended": 0}
    for row in confirmation_figures(user=user, year=year, day=day):
        for name in totals:
            totals[name] += row[name]
    return totals


def station_users_for(suspensions) -> dict[int, list[str]]:
    """Station staff (street or community scope) of the suspended people's areas → names."""
    streets = {s.street_id for s in suspensions}
    result: dict[int, list[str]] = defaultdict(list)
    stations = StaffProfile.objects.filter(role=Role.STATION_STAFF, user__is_active=True).filter(
        Q(scope_level=AreaLevel.STREET, street_id__in=streets)
        | Q(scope_level=AreaLevel.COMMUNITY, street_id__in=streets)
    )
    for station in stations.only("user_id", "scope_level", "street_id", "community_id"):
        key = "street_id" if station.scope_level == AreaLevel.STREET else "community_id"
        for suspension in suspensions:
            if getattr(suspension, key) == getattr(station, key):
                result[station.user_id].append(suspension.confirmation.veteran.name)
    return result
