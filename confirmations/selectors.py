"""Reads of the annual confirmation, always through the scope: the station's list, the figures
per area for the dashboard, and who hears of suspensions."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from confirmations.models import Confirmation, ConfirmationStatus, SubsidySuspension
from grids.models import AreaLevel, Role, StaffProfile, level_below
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


FIGURE_NAMES = ("confirmed", "pending", "overdue", "suspended")


def confirmation_figures(*, user, year: int, area=None, day: datetime.date | None = None) -> list[dict]:
    """The year's confirmed, pending (not yet overdue), overdue and suspended counts per child
    area of `area` (the user's whole scope when None: per district), in the user's scope."""
    day = day or timezone.localdate()
    queryset = scope_queryset(user, Confirmation.objects.filter(year=year))
    level = AreaLevel.CITY if area is None else area.level
    if level != AreaLevel.CITY:
        queryset = queryset.filter(**{f"{level}_id": area.pk})
    key = level_below(level)
    rows = (
        queryset.values(f"{key}_id", f"{key}__name")
        .annotate(
            confirmed=Count("id", filter=Q(status=ConfirmationStatus.CONFIRMED)),
            pending=Count("id", filter=Q(status=ConfirmationStatus.PENDING) & ~overdue_q(day)),
            overdue=Count("id", filter=overdue_q(day)),
            suspended=Count("id", filter=suspended_q()),
        )
        .order_by(f"{key}__name", f"{key}_id")
    )
    return [
        {"level": key, "id": row[f"{key}_id"], "name": row[f"{key}__name"], **{n: row[n] for n in FIGURE_NAMES}}
        for row in rows
    ]


def confirmation_totals(rows: list[dict]) -> dict:
    return {name: sum(row[name] for row in rows) for name in FIGURE_NAMES}


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
