"""Reads about areas and staff, always through the scoping function."""

from django.db.models import QuerySet

from grids.models import Grid, Role, StaffProfile
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
