"""Reads about areas and staff, always through the scoping function."""

from django.db.models import Q, QuerySet

from grids.models import AreaLevel, Grid, Role, StaffProfile
from grids.scoping import scope_queryset


def grids_for(*, user) -> QuerySet[Grid]:
    return scope_queryset(user, Grid.objects.select_related("community", "street", "district"))


def grid_team(*, user) -> QuerySet[StaffProfile]:
    """Active grid leaders and workers of the grids the user may see."""
    return (
        StaffProfile.objects.filter(
            grids__in=scope_queryset(user, Grid.objects.all()),
            role__in=[Role.GRID_LEADER, Role.GRID_WORKER],
            user__is_active=True,
        )
        .select_related("user")
        .prefetch_related("grids")
        .distinct()
        .order_by("role", "user__first_name")
    )


def station_staff_owning(*, area) -> QuerySet[StaffProfile]:
    """Active station staff whose own area holds `area` (anything with community and street
    keys): the community's station and the street's. They are told of what concerns their
    records; the district and city centers are not, or every notice would reach everyone."""
    return StaffProfile.objects.filter(
        Q(scope_level=AreaLevel.COMMUNITY, community_id=area.community_id)
        | Q(scope_level=AreaLevel.STREET, street_id=area.street_id),
        role=Role.STATION_STAFF,
        user__is_active=True,
    )
