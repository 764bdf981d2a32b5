"""The map's GeoJSON, from the bureau's own data (no map service needed): the boundaries of the
areas below one area, and the homes of one grid. Both scoped like every other read."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import NOT_FOUND, VALIDATION_ERROR
from grids.models import AreaLevel, the_city
from grids.scoping import user_scope
from grids.selectors import area_for
from maps.models import BOUNDARY_LEVELS
from maps.selectors import DETAIL_FIELDS, compact, home_points, map_areas, map_grid


def _holding(permission: str) -> type[permissions.BasePermission]:
    class Holds(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            return request.user.has_perm(permission)

    return Holds


class AreaRefSerializer(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="FeatureCollection")
    features = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("GeoJSON 要素；properties 含 id、code、name、level、url（统计看板下钻地址）"),
    )


class MapAreasSerializer(FeatureCollectionSerializer):
    area = AreaRefSerializer(help_text=_("所查看的区域"))
    level = serializers.CharField(help_text=_("要素的层级"))
    without_boundary = serializers.IntegerField(help_text=_("尚未上传边界的区域数"))


class MapHomesSerializer(FeatureCollectionSerializer):
    grid = AreaRefSerializer()


class MapAreasView(APIView):
    """边界地图：所给区域（默认本人管辖区域）的下级区域边界，GeoJSON FeatureCollection，坐标为经纬度。"""

    permission_classes = [permissions.IsAuthenticated, _holding("maps.view_areaboundary")]

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=["city", *BOUNDARY_LEVELS], description=_("区域层级")),
            OpenApiParameter("id", int, description=_("区域编号；与 level 一起给出")),
            OpenApiParameter("show", str, enum=list(BOUNDARY_LEVELS), description=_("显示更下层区域（如全市网格）")),
            OpenApiParameter("detail", str, enum=list(DETAIL_FIELDS), description=_("边界精细度（按缩放级别）")),
        ],
        responses={200: MapAreasSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    def get(self, request):
        params = request.query_params
        area = area_for(user=request.user, level=params.get("level"), area_id=params.get("id"))
        drawn_from, show = area, params.get("show")
        scope = user_scope(request.user)
        if not params.get("level") and scope.level == AreaLevel.GRID:
            # A grid team's own map is all of their grids (scope_queryset keeps it to them).
            drawn_from, show = the_city(), AreaLevel.GRID
        drawn = map_areas(user=request.user, area=drawn_from, show=show, detail=params.get("detail"))
        head = compact(
            {
                "type": "FeatureCollection",
                "area": {"level": area.level, "id": area.pk, "name": area.name},
                "level": drawn.level,
                "without_boundary": drawn.without_boundary,
            }
        )
        # The features are GeoJSON text already (maps.selectors.map_areas): spliced in, not re-encoded.
        body = f'{head[:-1]},"features":[{",".join(drawn.features)}]}}'
        return HttpResponse(body, content_type="application/json")


class MapHomesView(APIView):
    """网格住址点位：网格内服务对象的住址（姓名脱敏）及走访状态（overdue 超期、due 近期应访、ok 正常）。"""

    permission_classes = [permissions.IsAuthenticated, _holding("maps.view_homeposition")]

    @extend_schema(
        parameters=[OpenApiParameter("grid", int, required=True, description=_("网格编号"))],
        responses={200: MapHomesSerializer, 404: NOT_FOUND},
    )
    def get(self, request):
        grid = map_grid(user=request.user, grid_id=request.query_params.get("grid"))
        points = home_points(user=request.user, grid=grid, today=timezone.localdate())
        features = [
            {
                "type": "Feature",
                "id": point["id"],
                "geometry": {"type": "Point", "coordinates": [float(point["longitude"]), float(point["latitude"])]},
                "properties": {
                    key: point[key] for key in ("id", "name", "status", "status_label", "outside_grid", "url")
                }
                | {"visit_due_on": point["visit_due_on"]},
            }
            for point in points
        ]
        return Response(
            {
                "type": "FeatureCollection",
                "grid": {"level": grid.level, "id": grid.pk, "name": grid.name},
                "features": features,
            }
        )
