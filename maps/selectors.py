"""Reads behind the map: the boundaries of the areas below one area, and the homes of one grid,
always through the scoping function."""

import datetime
import json
import math
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from grids.models import AREA_MODELS, AreaLevel, Grid, level_below
from grids.scoping import in_scope, scope_queryset
from maps.models import BOUNDARY_LEVELS, AreaBoundary
from veterans.models import Veteran

DETAIL_FIELDS = {"coarse": "geometry_coarse", "medium": "geometry_medium", "full": "geometry"}
# What the map shows when it is not told: the lighter copy for many areas, the finer for few.
DEFAULT_DETAIL = {
    AreaLevel.DISTRICT: "coarse",
    AreaLevel.STREET: "coarse",
    AreaLevel.COMMUNITY: "medium",
    AreaLevel.GRID: "medium",
}
DUE_SOON_DAYS = 7
LEVEL_ORDER = [AreaLevel.CITY, *BOUNDARY_LEVELS]


def drawn_level(area, show: str | None) -> str:
    """The level of the areas drawn for `area`: its children (a grid draws itself), or `show` if
    that is a level below the area's (the city's 5,000 grids at once)."""
    if not show:
        return level_below(area.level)
    if show == area.level == AreaLevel.GRID:
        return show
    if show not in BOUNDARY_LEVELS or LEVEL_ORDER.index(show) <= LEVEL_ORDER.index(area.level):
        raise ApplicationError(_("显示层级应为所选区域以下的层级。"), field="show")
    return show


def _under(area, level: str) -> dict:
    """The filter of rows at `level` lying in `area` (a grid holds itself)."""
    if area.level == AreaLevel.CITY:
        return {}
    if area.level == level:
        return {"pk": area.pk}
    return {f"{area.level}_id": area.pk}


@dataclass(frozen=True)
class MapAreas:
    level: str
    features: list[str]  # each a GeoJSON Feature, as compact JSON text
    without_boundary: int  # areas in view that have no boundary yet


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def map_areas(*, user, area, show: str | None = None, detail: str | None = None) -> MapAreas:
    """The GeoJSON features of the areas drawn for `area` (one the user may open), each with its
    code, name, level, id and the dashboard page it drills down to.

    The simplified geometries are stored as GeoJSON text and go into the answer as they are:
    a city of 5,000 grids is then answered without building 5,000 geometries in Python."""
    level = drawn_level(area, show)
    detail = detail or DEFAULT_DETAIL[level]
    if detail not in DETAIL_FIELDS:
        raise ApplicationError(_("精细度应为 coarse、medium 或 full。"), field="detail")
    under = _under(area, level)
    areas = scope_queryset(user, AREA_MODELS[level].objects.filter(**under))
    names = {pk: (code, name) for pk, code, name in areas.values_list("pk", "code", "name")}
    if "pk" in under:
        under = {f"{level}_id": under.pop("pk")}
    boundaries = scope_queryset(user, AreaBoundary.objects.filter(level=level, **under))
    board = reverse("dashboard:board")
    as_text = (lambda geometry: compact(geometry)) if detail == "full" else (lambda geometry: geometry)
    features = []
    for area_id, geometry in boundaries.values_list(f"{level}_id", DETAIL_FIELDS[detail]).order_by(f"{level}_id"):
        if area_id not in names:
            continue
        code, name = names[area_id]
        properties = compact(
            {"id": area_id, "code": code, "name": name, "level": level, "url": f"{board}?level={level}&id={area_id}"}
        )
        features.append(f'{{"type":"Feature","id":{area_id},"properties":{properties},"geometry":{as_text(geometry)}}}')
    return MapAreas(level=level, features=features, without_boundary=len(names) - len(features))


def map_grid(*, user, grid_id) -> Grid:
    """The grid asked for, if the user may see it; anything else is a 404 that says nothing."""
    if not str(grid_id or "").isdigit():
        raise Http404
    grid = Grid.objects.filter(pk=int(grid_id)).first()
    if grid is None or not in_scope(user, grid):
        raise Http404
    return grid


def visit_status(visit_due_on, event_due_on, today: datetime.date) -> str:
    """overdue (a visit or must-visit event past its date), due (within the week), or ok."""
    dates = [d for d in (visit_due_on, event_due_on) if d is not None]
    if any(d < today for d in dates):
        return "overdue"
    if any(d <= today + datetime.timedelta(days=DUE_SOON_DAYS) for d in dates):
        return "due"
    return "ok"


STATUS_LABELS = {"overdue": gettext_lazy("已超期"), "due": gettext_lazy("近期应访"), "ok": gettext_lazy("正常")}


def mask_name(name: str) -> str:
    """张*国: the surname and the last character, so a map left open on a screen names no one."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def home_points(*, user, grid: Grid, today: datetime.date) -> list[dict]:
    """The homes of the grid's living people the user may see, with their visit status and the
    page of the person (the admin page for stations, the phone card for grid teams)."""
    people = scope_queryset(
        user, Veteran.objects.filter(grid=grid, removed_at__isnull=True, home_position__isnull=False)
    ).values_list(
        "id",
        "name",
        "visit_due_on",
        "event_due_on",
        "home_position__longitude",
        "home_position__latitude",
        "home_position__outside_grid",
    )
    if user.is_staff:
        page = reverse("admin:veterans_veteran_change", args=[0]).replace("/0/", "/{}/")
    else:
        page = reverse("mobile:card", args=[0]).replace("/0/", "/{}/")
    points = []
    for pk, name, visit_due_on, event_due_on, longitude, latitude, outside in people.order_by("id"):
        status = visit_status(visit_due_on, event_due_on, today)
        points.append(
            {
                "id": pk,
                "name": mask_name(name),
                "full_name": name,  # for the worker's own route list, never in the API's points
                "longitude": longitude,
                "latitude": latitude,
                "status": status,
                "status_label": str(STATUS_LABELS[status]),
                "visit_due_on": visit_due_on,
                "due_today": today in (visit_due_on, event_due_on),
                "outside_grid": outside,
                "url": page.format(pk),
            }
        )
    return points


def todays_round(*, user, grid: Grid, today: datetime.date, start: tuple[float, float] | None = None) -> list[dict]:
    """The grid's people due today or overdue who have a home position, in visiting order:
    from `start` (the phone's position) or else from the most overdue person, always the
    nearest not yet visited next (plain greedy)."""
    due = [p for p in home_points(user=user, grid=grid, today=today) if _due_today(p)]
    if not due:
        return []
    due.sort(key=lambda p: (p["visit_due_on"] or today, p["id"]))
    here = start or (float(due[0]["longitude"]), float(due[0]["latitude"]))
    ordered = []
    while due:
        nearest = min(due, key=lambda p: _distance_squared(here, p))
        due.remove(nearest)
        ordered.append(nearest)
        here = (float(nearest["longitude"]), float(nearest["latitude"]))
    return ordered


def _due_today(point: dict) -> bool:
    return point["status"] == "overdue" or point["due_today"]


def _distance_squared(here: tuple[float, float], point: dict) -> float:
    """Squared distance on a local flat map: a degree of longitude is shorter by cos(latitude)."""
    shrink = math.cos(math.radians(here[1]))
    return ((float(point["longitude"]) - here[0]) * shrink) ** 2 + (float(point["latitude"]) - here[1]) ** 2
