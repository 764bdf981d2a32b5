"""Geometry with shapely (GEOS comes inside its wheel): reading a GeoJSON geometry, saying why a
polygon is invalid in Chinese, the simplified copies the map draws, and point-in-boundary.

Coordinates are lon/lat degrees (CGCS2000 or WGS84, which differ by centimetres); areas and
tolerances are compared as fractions, so degrees need no projection here."""

import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# What the map draws: about 20 m of detail at a street's or community's scale, about 200 m for
# a whole district or city; coordinates rounded to match (5 decimals ≈ 1 m, 4 ≈ 10 m).
MEDIUM = (0.0002, 5)
COARSE = (0.002, 4)
# How much of an area may lie outside its parent, and how much two siblings may share, as a
# fraction of the (smaller) area: hand-drawn boundaries never meet exactly.
OUTSIDE_PARENT_TOLERANCE = 0.01
OVERLAP_TOLERANCE = 0.01
# A bounding box's corners are stored exactly to 7 decimals (about 1 cm), as AreaBoundary keeps them.
BOX_PLACES = Decimal("0.0000001")

# GEOS's reasons (explain_validity starts with one of these), in Chinese.
VALIDITY_REASONS = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points": "点数过少",
    "Hole lies outside shell": "内环在外环之外",
    "Nested holes": "内环嵌套",
    "Interior is disconnected": "内部不连通",
    "Nested shells": "外环嵌套",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}


class GeometryError(ValueError):
    """A geometry the map cannot use; the message is for the user."""


@dataclass(frozen=True)
class Prepared:
    geometry: dict  # as given
    medium: str  # compact GeoJSON text
    coarse: str
    bounds: tuple[Decimal, Decimal, Decimal, Decimal]  # min lon, min lat, max lon, max lat


def reason_of_invalidity(geom) -> str:
    """explain_validity's reason in Chinese, with the place GEOS names (e.g. `[113.5 22.2]`)."""
    text = explain_validity(geom)
    reason, _bracket, where = text.partition("[")
    label = VALIDITY_REASONS.get(reason.strip(), reason.strip())
    return f"{label}（{where.rstrip(']')}）" if where else label


def polygon_from_geojson(geometry) -> shapely.Geometry:
    """A valid Polygon or MultiPolygon in lon/lat, or GeometryError saying what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        raise GeometryError(_("几何类型应为 Polygon 或 MultiPolygon，实为 %(kind)s。") % {"kind": kind or _("空")})
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as error:
        raise GeometryError(_("坐标格式错误：%(error)s") % {"error": str(error)[:100]}) from error
    if geom.is_empty:
        raise GeometryError(_("边界为空。"))
    if not shapely.is_valid(geom):
        raise GeometryError(_("边界无效：%(reason)s。") % {"reason": reason_of_invalidity(geom)})
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise GeometryError(_("坐标超出经纬度范围，可能是投影坐标：请转换为经纬度（CGCS2000/WGS84）后上传。"))
    return geom


def _rounded(geom, digits: int):
    return shapely.set_precision(geom, 10**-digits)


def simplified(geom, tolerance: float, digits: int) -> str:
    """A lighter copy for drawing; a small area that would vanish keeps a coarser rounding of
    itself rather than disappear from the map."""
    light = _rounded(geom.simplify(tolerance, preserve_topology=True), digits)
    if light.is_empty:
        light = geom.envelope
    return json.dumps(mapping(light), separators=(",", ":"))


def bounding_box(geom) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(min lon, min lat, max lon, max lat) to 7 decimals, widened outwards so that the box still
    holds the whole shape. Each float is read by its shortest text, the number the file gave
    (117.1, not 117.09999999999999431566...), so a coordinate given to 7 places or fewer is kept
    as given rather than floored a step below itself."""
    west, south, east, north = (Decimal(repr(float(value))) for value in geom.bounds)
    return (
        west.quantize(BOX_PLACES, rounding=ROUND_FLOOR),
        south.quantize(BOX_PLACES, rounding=ROUND_FLOOR),
        east.quantize(BOX_PLACES, rounding=ROUND_CEILING),
        north.quantize(BOX_PLACES, rounding=ROUND_CEILING),
    )


def prepare(geometry: dict, geom) -> Prepared:
    return Prepared(
        geometry=geometry,
        medium=simplified(geom, *MEDIUM),
        coarse=simplified(geom, *COARSE),
        bounds=bounding_box(geom),
    )


def share_outside(geom, parent) -> float:
    """The fraction of `geom`'s area that lies outside `parent`."""
    if geom.area == 0:
        return 0.0
    return geom.difference(parent).area / geom.area


def overlap_share(first, second) -> float:
    """How much two areas share, as a fraction of the smaller."""
    smaller = min(first.area, second.area)
    if smaller == 0:
        return 0.0
    return first.intersection(second).area / smaller


def contains_point(boundary, longitude, latitude) -> bool:
    """Whether the point lies in (or on) the (shapely) boundary."""
    return boundary.covers(shapely.Point(float(longitude), float(latitude)))
