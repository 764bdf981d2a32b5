"""Upload the boundaries of one level's areas from a GeoJSON FeatureCollection: every feature
checked (a valid polygon, a known code, inside its parent, not overlapping a sibling), every bad
one listed by code and reason, and nothing stored unless all are good — like the area upload."""

import json
from collections import defaultdict
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from grids.models import AREA_MODELS, PARENT_LEVEL, AreaLevel
from grids.scoping import in_scope, require_actor, scope_queryset
from maps.geometry import (
    OUTSIDE_PARENT_TOLERANCE,
    OVERLAP_TOLERANCE,
    GeometryError,
    overlap_share,
    polygon_from_geojson,
    prepare,
    share_outside,
)
from maps.homes import homes_recheck
from maps.models import BOUNDARY_LEVELS, AreaBoundary

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_FEATURES = 20_000
CODE_KEYS = ("code", "CODE", "编码")
ANCESTOR_KEYS = {
    AreaLevel.DISTRICT: (),
    AreaLevel.STREET: ("district",),
    AreaLevel.COMMUNITY: ("district", "street"),
    AreaLevel.GRID: ("district", "street", "community"),
}


@dataclass(frozen=True)
class FeatureError:
    code: str
    reason: str


@dataclass
class BoundaryImportReport:
    features: int = 0
    stored: int = 0
    errors: list[FeatureError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Feature:
    label: str  # the code, or "第 n 个要素" when it has none
    code: str
    geojson: dict | None
    geom: object = None
    area: object = None
    bad: bool = False


class _Checker:
    def __init__(self, report: BoundaryImportReport):
        self.report = report

    def fail(self, feature: _Feature, reason: str) -> None:
        feature.bad = True
        self.report.errors.append(FeatureError(feature.label, reason))


def boundary_keys(area, level: str) -> dict:
    """The boundary row's area keys: the area at its own level, its ancestors above."""
    keys = {f"{name}_id": getattr(area, f"{name}_id") for name in ANCESTOR_KEYS[level]}
    keys[f"{level}_id"] = area.pk
    return keys


def _read_collection(uploaded_file) -> list:
    if uploaded_file is None:
        raise ApplicationError(_("请选择要上传的文件。"), field="file")
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("文件过大，上限为 %(limit)s MB。") % {"limit": MAX_UPLOAD_BYTES // 1048576}, field="file"
        )
    data = uploaded_file.read()
    if data[:2] == b"PK":
        raise ApplicationError(
            _("暂不支持压缩的Shapefile：请先用QGIS等软件另存为GeoJSON（经纬度坐标）再上传。"), field="file"
        )
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ApplicationError(_("文件不是有效的GeoJSON（JSON格式错误）。"), field="file") from error
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ApplicationError(_("GeoJSON 的顶层应为 FeatureCollection。"), field="file")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ApplicationError(_("文件中没有任何要素（features）。"), field="file")
    if len(features) > MAX_FEATURES:
        raise ApplicationError(_("要素数超过上限 %(max)s 个，请分批上传。") % {"max": MAX_FEATURES}, field="file")
    return features


def _parse(features: list, checker: _Checker) -> list[_Feature]:
    parsed, seen = [], {}
    for number, raw in enumerate(features, start=1):
        properties = (raw.get("properties") if isinstance(raw, dict) else None) or {}
        code = next((str(properties[k]).strip() for k in CODE_KEYS if properties.get(k) not in (None, "")), "")
        item = _Feature(
            label=code or _("第 %(n)s 个要素") % {"n": number},
            code=code,
            geojson=raw.get("geometry") if isinstance(raw, dict) else None,
        )
        parsed.append(item)
        if not code:
            checker.fail(item, _("缺少属性 code（区域编码）。"))
        elif code in seen:
            checker.fail(item, _("编码在文件中重复（第 %(n)s 个要素已有）。") % {"n": seen[code]})
        else:
            seen[code] = number
        try:
            item.geom = polygon_from_geojson(item.geojson)
        except GeometryError as error:
            checker.fail(item, str(error))
    return parsed


def _match_areas(items: list[_Feature], level: str, within, acting_user, checker: _Checker) -> None:
    """Each code to the one area of `level` with that code in the user's scope (and `within`)."""
    model = AREA_MODELS[level]
    areas = scope_queryset(acting_user, model.objects.filter(code__in={i.code for i in items if i.code}))
    if within is not None and within.level != AreaLevel.CITY:
        areas = areas.filter(**({"pk": within.pk} if within.level == level else {f"{within.level}_id": within.pk}))
    by_code = defaultdict(list)
    for area in areas:
        by_code[area.code].append(area)
    for item in items:
        if not item.code:
            continue
        found = by_code.get(item.code, [])
        if not found:
            checker.fail(
                item,
                _("编码 %(code)s 不是您管辖范围内的%(level)s。") % {"code": item.code, "level": AreaLevel(level).label},
            )
        elif len(found) > 1:
            checker.fail(
                item, _("编码对应多个%(level)s，请先选择所属上级区域再上传。") % {"level": AreaLevel(level).label}
            )
        else:
            item.area = found[0]


def _check_inside_parents(items: list[_Feature], level: str, checker: _Checker) -> None:
    parent_level = PARENT_LEVEL.get(level)
    placed = [i for i in items if i.area is not None and i.geom is not None]
    if parent_level is None or not placed:
        return
    parent_ids = {getattr(i.area, f"{parent_level}_id") for i in placed}
    parents = {
        area_id: shape(geometry)
        for area_id, geometry in AreaBoundary.objects.filter(
            level=parent_level, **{f"{parent_level}_id__in": parent_ids}
        ).values_list(f"{parent_level}_id", "geometry")
    }
    for item in placed:
        parent = parents.get(getattr(item.area, f"{parent_level}_id"))
        if parent is None:
            continue  # no parent boundary yet: nothing to be inside of
        outside = share_outside(item.geom, parent)
        if outside > OUTSIDE_PARENT_TOLERANCE:
            checker.fail(
                item,
                _("有 %(share)s%% 超出上级“%(parent)s”的边界（允许 %(limit)s%%）。")
                % {
                    "share": round(outside * 100, 1),
                    "parent": getattr(item.area, parent_level).name,
                    "limit": round(OUTSIDE_PARENT_TOLERANCE * 100, 1),
                },
            )


@dataclass(frozen=True)
class _Sibling:
    parent_id: int
    name: str
    geom: object
    item: _Feature | None  # None: a boundary already stored, not in the file


def _siblings(placed: list[_Feature], level: str) -> list[_Sibling]:
    """The file's areas, and the stored boundaries of other areas under the same parents."""
    parent_level = PARENT_LEVEL.get(level)
    parent_key = f"{parent_level}_id" if parent_level else None
    siblings = [_Sibling(getattr(i.area, parent_key) if parent_key else 0, i.area.name, i.geom, i) for i in placed]
    stored = AreaBoundary.objects.filter(level=level).exclude(**{f"{level}_id__in": [i.area.pk for i in placed]})
    if parent_key:
        stored = stored.filter(**{f"{parent_key}__in": {s.parent_id for s in siblings}})
    geometries = dict(stored.values_list(f"{level}_id", "geometry"))
    fields = ["pk", "name", parent_key] if parent_key else ["pk", "name"]
    for pk, name, *parent in AREA_MODELS[level].objects.filter(pk__in=geometries).values_list(*fields):
        siblings.append(_Sibling(parent[0] if parent else 0, name, shape(geometries[pk]), None))
    return siblings


def _check_overlaps(items: list[_Feature], level: str, checker: _Checker) -> None:
    """Siblings (areas under one parent) may not share more than the tolerance: against each
    other in the file and against the siblings' boundaries already stored."""
    placed = [i for i in items if i.area is not None and i.geom is not None]
    if not placed:
        return
    siblings = _siblings(placed, level)
    geoms = [s.geom for s in siblings]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        first, second = siblings[a], siblings[b]
        if a >= b or first.parent_id != second.parent_id or (first.item is None and second.item is None):
            continue
        share = overlap_share(first.geom, second.geom)
        if share <= OVERLAP_TOLERANCE:
            continue
        for mine, theirs in ((first, second), (second, first)):
            if mine.item is not None:
                checker.fail(
                    mine.item,
                    _("与同级“%(other)s”重叠 %(share)s%%（允许 %(limit)s%%）。")
                    % {
                        "other": theirs.name,
                        "share": round(share * 100, 1),
                        "limit": round(OVERLAP_TOLERANCE * 100, 1),
                    },
                )


def _store(items: list[_Feature], level: str, acting_user) -> int:
    AreaBoundary.objects.filter(level=level, **{f"{level}_id__in": [i.area.pk for i in items]}).delete()
    uploader = acting_user if getattr(acting_user, "pk", None) else None
    rows = []
    for item in items:
        prepared = prepare(item.geojson, item.geom)
        min_lon, min_lat, max_lon, max_lat = prepared.bounds
        rows.append(
            AreaBoundary(
                level=level,
                geometry=prepared.geometry,
                geometry_medium=prepared.medium,
                geometry_coarse=prepared.coarse,
                min_lon=min_lon,
                min_lat=min_lat,
                max_lon=max_lon,
                max_lat=max_lat,
                uploaded_by=uploader,
                **boundary_keys(item.area, level),
            )
        )
    AreaBoundary.objects.bulk_create(rows, batch_size=100)
    return len(rows)


def _require_uploader(acting_user, level: str) -> None:
    require_actor(acting_user)
    if not acting_user.has_perm("maps.add_areaboundary"):
        raise ApplicationError(_("您没有上传区域边界的权限。"), code="forbidden")
    if level not in BOUNDARY_LEVELS:
        raise ApplicationError(_("请选择边界的层级。"), field="level")


def _check_and_store(items: list[_Feature], level: str, acting_user, report: BoundaryImportReport, source: str):
    checker = _Checker(report)
    _check_inside_parents(items, level, checker)
    _check_overlaps(items, level, checker)
    if report.errors:
        return report
    with transaction.atomic():
        report.stored = _store(items, level, acting_user)
        if level == AreaLevel.GRID:
            homes_recheck(grid_ids=[i.area.pk for i in items])
        audit_record(
            action=AuditAction.IMPORT,
            actor=acting_user,
            detail={"kind": "area_boundaries", "level": level, "file": source, "stored": report.stored},
        )
    return report


def boundaries_import(*, uploaded_file, level: str, acting_user, within=None) -> BoundaryImportReport:
    """Check every feature; store (replacing those areas' boundaries) only if none is bad.
    `within` (an area) narrows the code matching to that area, for codes unique only there."""
    _require_uploader(acting_user, level)
    if within is not None and not in_scope(acting_user, within):
        raise ApplicationError(_("所选上级区域不在您的管辖范围内。"), field="within")
    report = BoundaryImportReport()
    checker = _Checker(report)
    items = _parse(_read_collection(uploaded_file), checker)
    report.features = len(items)
    _match_areas(items, level, within, acting_user, checker)
    return _check_and_store(items, level, acting_user, report, getattr(uploaded_file, "name", ""))


def boundaries_save(*, level: str, shapes: list[tuple], acting_user) -> BoundaryImportReport:
    """The same checks and the same all-or-nothing store for (area, GeoJSON geometry) pairs a
    program already holds (the demo, the bench): no file, no code matching."""
    _require_uploader(acting_user, level)
    report = BoundaryImportReport(features=len(shapes))
    checker = _Checker(report)
    model = AREA_MODELS[level]
    ids = [area.pk for area, _geometry in shapes if isinstance(area, model)]
    allowed = set(scope_queryset(acting_user, model.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    items = []
    for area, geometry in shapes:
        item = _Feature(label=area.code, code=area.code, geojson=geometry)
        if area.level != level or area.pk not in allowed:
            checker.fail(item, _("区域不是您管辖范围内的%(level)s。") % {"level": AreaLevel(level).label})
        else:
            item.area = area
        try:
            item.geom = polygon_from_geojson(geometry)
        except GeometryError as error:
            checker.fail(item, str(error))
        items.append(item)
    return _check_and_store(items, level, acting_user, report, "")
