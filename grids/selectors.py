"""Reads about areas and staff, always through the scoping function."""

from django.db.models import Q, QuerySet
from django.http import Http404

from grids.models import AREA_MODELS, AreaLevel, Grid, Role, StaffProfile, the_city
from grids.scoping import in_scope, scope_queryset, user_scope


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


def area_for(*, user, level: str | None, area_id: str | None):
    """The area asked for, or the user's own; anything outside the scope is a 404."""
    scope = user_scope(user)
    if scope is None:
        raise Http404
    if not level or not area_id:
        level, area_id = scope.level, scope.area_ids[0]
    if level == AreaLevel.CITY:
        if scope.level != AreaLevel.CITY:
            raise Http404
        return the_city()
    model = AREA_MODELS.get(level)
    if model is None or not str(area_id).isdigit():
        raise Http404
    area = model.objects.filter(pk=area_id).first()
    if area is None or not in_scope(user, area):
        raise Http404
    return area
