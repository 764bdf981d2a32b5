"""Maps from the bureau's own data: each area's boundary (GeoJSON, lon/lat as given) and each
person's home position. No GIS database: geometry is plain JSON checked and simplified with
shapely (maps.geometry), so SQLite and PostgreSQL serve it alike."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import AreaLevel, Community, District, Grid, GridScopedModel, Street

LONGITUDE_RANGE = _("经度应在 -180 到 180 之间。")
LATITUDE_RANGE = _("纬度应在 -90 到 90 之间。")
BOUNDARY_LEVELS = [AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID]


class AreaBoundary(models.Model):
    """The boundary of one district, street, community or grid.

    It carries the keys of its area and of the area's ancestors (the lower ones empty), so a
    grid worker sees their grid's boundary and a station every boundary in its area through
    the one scoping function. `geometry` is kept exactly as uploaded; the two simplified copies
    are what the map draws when zoomed out (`coarse`) or at a street's or community's scale
    (`medium`), so a city of thousands of grids is drawn from a small answer.
    """

    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "community_id",
        AreaLevel.GRID: "grid_id",
    }
    personal_data = False  # lines on a map, about no one

    level = models.CharField(_("层级"), max_length=10, choices=[(lvl.value, lvl.label) for lvl in BOUNDARY_LEVELS])
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("街道/镇")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("社区/村")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("网格")
    )
    geometry = models.JSONField(_("边界（GeoJSON）"))
    # Kept as compact GeoJSON text: the map's answer is assembled from them without decoding
    # and re-encoding thousands of geometries per request.
    geometry_medium = models.TextField(_("简化边界（中）"))
    geometry_coarse = models.TextField(_("简化边界（粗）"))
    # The bounding box, exact to 7 decimals (about 1 cm) and rounded outwards (maps.geometry).
    min_lon = models.DecimalField(_("最小经度"), max_digits=10, decimal_places=7)
    min_lat = models.DecimalField(_("最小纬度"), max_digits=10, decimal_places=7)
    max_lon = models.DecimalField(_("最大经度"), max_digits=10, decimal_places=7)
    max_lat = models.DecimalField(_("最大纬度"), max_digits=10, decimal_places=7)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("上传人"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("区域边界")
        verbose_name_plural = _("区域边界")
        ordering = ["level", "id"]
        constraints = [
            # One boundary per area: the area's own key is the one of its level.
            models.UniqueConstraint(
                fields=["district"], condition=Q(level="district"), name="boundary_one_per_district"
            ),
            models.UniqueConstraint(fields=["street"], condition=Q(level="street"), name="boundary_one_per_street"),
            models.UniqueConstraint(
                fields=["community"], condition=Q(level="community"), name="boundary_one_per_community"
            ),
            models.UniqueConstraint(fields=["grid"], condition=Q(level="grid"), name="boundary_one_per_grid"),
        ]
        indexes = [
            models.Index(fields=["level", "district"], name="boundary_level_dist_idx"),
            models.Index(fields=["level", "street"], name="boundary_level_street_idx"),
            models.Index(fields=["level", "community"], name="boundary_level_comm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.area_id}"

    @property
    def area_id(self) -> int:
        return getattr(self, f"{self.level}_id")


class HomeSource(models.TextChoices):
    PICKED = "picked", _("地图选点/手工录入")
    VISIT = "visit", _("入户走访定位")
    IMPORT = "import", _("批量导入")


class HomePosition(GridScopedModel):
    """Where a person lives, placed in the person's grid. `outside_grid` says the point lies
    outside the grid's boundary (kept by maps.services whenever the point or the boundary
    changes) so the station can fix one or the other."""

    # Scoped through the person, not the row's own keys: a person moved to another grid takes
    # their home out of the old area's lists at once, before anyone sets the home again.
    scope_lookups = {level: f"veteran__{key}" for level, key in GridScopedModel.scope_lookups.items()}

    veteran = models.OneToOneField(
        "veterans.Veteran", on_delete=models.CASCADE, related_name="home_position", verbose_name=_("服务对象")
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180, LONGITUDE_RANGE), MaxValueValidator(180, LONGITUDE_RANGE)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90, LATITUDE_RANGE), MaxValueValidator(90, LATITUDE_RANGE)],
    )
    source = models.CharField(_("来源"), max_length=10, choices=HomeSource.choices)
    outside_grid = models.BooleanField(_("住址在网格外"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("确认人"),
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("住址定位")
        verbose_name_plural = _("住址定位")
        ordering = ["-id"]
        indexes = [
            *GridScopedModel.scope_indexes("home", "id"),
            models.Index(fields=["grid"], condition=Q(outside_grid=True), name="home_outside_grid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} ({self.longitude}, {self.latitude})"
