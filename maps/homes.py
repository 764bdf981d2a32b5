"""The one write path of home positions: set by hand (a point picked on the map or typed), taken
from the latest home visit's phone location once the station confirms it, or imported. Each
write says whether the home lies outside its grid's boundary, for the station to fix."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError, full_clean_or_raise
from grids.models import AreaLevel
from grids.scoping import in_scope, require_actor, scope_queryset
from maps.geometry import contains_point
from maps.models import AreaBoundary, HomePosition, HomeSource
from veterans.models import Veteran
from visits.selectors import last_visit_position

MICRO_DEGREE = Decimal("0.000001")


def grid_boundaries(grid_ids) -> dict:
    """The grids' boundaries (as shapely geometries) by grid id; grids without one left out."""
    rows = AreaBoundary.objects.filter(level=AreaLevel.GRID, grid_id__in=grid_ids).values_list("grid_id", "geometry")
    return {grid_id: shape(geometry) for grid_id, geometry in rows}


def _grid_boundary(grid_id: int):
    return grid_boundaries([grid_id]).get(grid_id)


def is_outside(boundary, longitude, latitude) -> bool:
    """Outside the (shapely) boundary; a grid with no boundary yet flags nothing."""
    return boundary is not None and not contains_point(boundary, longitude, latitude)


def degrees(value, *, field: str, label: str) -> Decimal:
    """A coordinate as a Decimal of 6 places (about 0.1 m), or a refusal naming the field."""
    if value is None or str(value).strip() == "":
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, field=field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ApplicationError(_("%(label)s不是数字。") % {"label": label}, field=field) from error
    if not number.is_finite():
        raise ApplicationError(_("%(label)s不是数字。") % {"label": label}, field=field)
    return number.quantize(MICRO_DEGREE, rounding=ROUND_HALF_UP)


def _require_writable(veteran: Veteran, acting_user) -> None:
    require_actor(acting_user)
    if not acting_user.has_perm("maps.change_homeposition"):
        raise ApplicationError(_("您没有维护住址定位的权限。"), code="forbidden")
    if not in_scope(acting_user, veteran):
        raise ApplicationError(_("该服务对象不在您的管辖范围内。"), code="out_of_scope")
    if veteran.removed_at is not None:
        raise ApplicationError(_("该档案已注销，不能维护住址定位。"))


def place_home(
    veteran: Veteran, longitude: Decimal, latitude: Decimal, source: str, acting_user, boundary
) -> HomePosition:
    """Write the position (the caller has checked the actor)."""
    home = HomePosition.objects.filter(veteran=veteran).first() or HomePosition(veteran=veteran)
    home.place_in_grid(veteran.grid)
    home.longitude, home.latitude, home.source = longitude, latitude, source
    home.outside_grid = is_outside(boundary, longitude, latitude)
    home.confirmed_by = acting_user if getattr(acting_user, "pk", None) else None
    home.confirmed_at = timezone.now()
    full_clean_or_raise(home, exclude=["district", "street", "community", "grid", "veteran"])
    created = home.pk is None
    home.save()
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=acting_user,
        obj=home,
        detail={"source": source, "outside_grid": home.outside_grid},
    )
    return home


@transaction.atomic
def home_set(*, veteran: Veteran, longitude, latitude, acting_user, source: str = HomeSource.PICKED) -> HomePosition:
    """Set where the person lives (lon/lat as CGCS2000/WGS84 degrees)."""
    _require_writable(veteran, acting_user)
    if source not in HomeSource.values:
        raise ApplicationError(_("请选择定位来源。"), field="source")
    longitude = degrees(longitude, field="longitude", label=_("经度"))
    latitude = degrees(latitude, field="latitude", label=_("纬度"))
    return place_home(veteran, longitude, latitude, source, acting_user, _grid_boundary(veteran.grid_id))


@transaction.atomic
def home_from_visit(*, veteran: Veteran, acting_user) -> HomePosition:
    """The station confirms the latest home visit's phone location as the home (以走访定位为住址)."""
    _require_writable(veteran, acting_user)
    position = last_visit_position(veteran)
    if position is None:
        raise ApplicationError(_("%(name)s没有记录了定位的入户走访。") % {"name": veteran.name})
    return place_home(
        veteran, position.longitude, position.latitude, HomeSource.VISIT, acting_user, _grid_boundary(veteran.grid_id)
    )


@transaction.atomic
def homes_place_many(*, positions: list[tuple], source: str, acting_user, detail: dict) -> int:
    """Many homes at once: (veteran, longitude, latitude) with coordinates already checked by
    the caller (the import, the demo), each veteran in the actor's scope. One audit row."""
    require_actor(acting_user)
    if not acting_user.has_perm("maps.change_homeposition"):
        raise ApplicationError(_("您没有维护住址定位的权限。"), code="forbidden")
    ids = {veteran.pk for veteran, _lon, _lat in positions}
    if scope_queryset(acting_user, Veteran.objects.filter(pk__in=ids, removed_at__isnull=True)).count() != len(ids):
        raise ApplicationError(_("有服务对象不在您的管辖范围内或已注销。"), code="out_of_scope")
    boundaries = grid_boundaries({veteran.grid_id for veteran, _lon, _lat in positions})
    existing = {h.veteran_id: h for h in HomePosition.objects.filter(veteran__in=[v for v, _x, _y in positions])}
    confirmer = acting_user if getattr(acting_user, "pk", None) else None
    now = timezone.now()
    new, changed = [], []
    for veteran, longitude, latitude in positions:
        home = existing.get(veteran.pk) or HomePosition(veteran=veteran)
        home.place_in_grid(veteran.grid)
        home.longitude, home.latitude, home.source = longitude, latitude, source
        home.outside_grid = is_outside(boundaries.get(veteran.grid_id), longitude, latitude)
        home.confirmed_by, home.confirmed_at, home.updated_at = confirmer, now, now
        (changed if home.pk else new).append(home)
    HomePosition.objects.bulk_create(new, batch_size=500)
    fields = ["district", "street", "community", "grid", "longitude", "latitude", "source", "outside_grid"]
    HomePosition.objects.bulk_update(changed, [*fields, "confirmed_by", "confirmed_at", "updated_at"], batch_size=500)
    audit_record(action=AuditAction.IMPORT, actor=acting_user, detail={**detail, "stored": len(positions)})
    return len(positions)


def homes_recheck(*, grid_ids: list[int]) -> int:
    """Recompute `outside_grid` of the homes of the people now in these grids (their boundaries
    just changed), moving a home's area keys to its person's grid if the person has moved;
    returns how many rows changed. Called inside the boundary upload's transaction."""
    boundaries = grid_boundaries(grid_ids)
    changed = []
    homes = HomePosition.objects.filter(veteran__grid_id__in=grid_ids).select_related("veteran__grid")
    for home in homes:
        grid = home.veteran.grid
        outside = is_outside(boundaries.get(grid.pk), home.longitude, home.latitude)
        if outside != home.outside_grid or home.grid_id != grid.pk:
            home.place_in_grid(grid)
            home.outside_grid = outside
            changed.append(home)
    HomePosition.objects.bulk_update(
        changed, ["outside_grid", "grid", "community", "street", "district"], batch_size=500
    )
    return len(changed)
