"""The area tree (district → street → community → grid) and who works where.

Every level below the district carries the keys of all its ancestors (denormalised), and so
does everything that lives in a grid: scoping is then one indexed equality filter at any level.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto.fields import EncryptedCharField

code_validator = RegexValidator(r"^[0-9A-Za-z]{1,32}$", _("编码只能包含字母和数字，最长32位。"))
phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("电话号码格式不正确，只能包含数字、空格和+-()，5至20位。"))


CODE_TAKEN = _("同一上级下已有该编码。")
NAME_TAKEN = _("同一上级下已有同名区域。")


class AreaLevel(models.TextChoices):
    CITY = "city", _("全市")
    DISTRICT = "district", _("区/县")
    STREET = "street", _("街道/镇")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")


class Area(models.Model):
    code = models.CharField(_("编码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """The service center (district) or station (street, community) that serves an area."""

    station_name = models.CharField(_("服务站名称"), max_length=100, blank=True)
    station_address = models.CharField(_("服务站地址"), max_length=200, blank=True)
    station_phone = models.CharField(_("服务站电话"), max_length=20, blank=True, validators=[phone_validator])

    class Meta:
        abstract = True


class District(Area, Station):
    level = AreaLevel.DISTRICT
    scope_lookups = {AreaLevel.DISTRICT: "id"}

    class Meta:
        verbose_name = _("区/县")
        verbose_name_plural = _("区/县")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="district_code_unique", violation_error_message=CODE_TAKEN)
        ]
        permissions = [("import_area_tree", _("可从Excel导入区域"))]


class Street(Area, Station):
    level = AreaLevel.STREET
    scope_lookups = {AreaLevel.DISTRICT: "district_id", AreaLevel.STREET: "id"}

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("区/县"))

    class Meta:
        verbose_name = _("街道/镇")
        verbose_name_plural = _("街道/镇")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="street_code_unique", violation_error_message=CODE_TAKEN
            ),
            models.UniqueConstraint(
                fields=["district", "name"], name="street_name_unique", violation_error_message=NAME_TAKEN
            ),
        ]

    @property
    def parent(self) -> District:
        return self.district


class Community(Area, Station):
    level = AreaLevel.COMMUNITY
    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "id",
    }

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街道/镇"))

    class Meta:
        verbose_name = _("社区/村")
        verbose_name_plural = _("社区/村")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "code"], name="community_code_unique", violation_error_message=CODE_TAKEN
            ),
            models.UniqueConstraint(
                fields=["street", "name"], name="community_name_unique", violation_error_message=NAME_TAKEN
            ),
        ]

    @property
    def parent(self) -> Street:
        return self.street


class Grid(Area):
    level = AreaLevel.GRID
    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "community_id",
        AreaLevel.GRID: "id",
    }

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道/镇"))
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("社区/村"))

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "code"], name="grid_code_unique", violation_error_message=CODE_TAKEN
            ),
            models.UniqueConstraint(
                fields=["community", "name"], name="grid_name_unique", violation_error_message=NAME_TAKEN
            ),
        ]

    @property
    def parent(self) -> Community:
        return self.community


AREA_MODELS = {
    AreaLevel.DISTRICT: District,
    AreaLevel.STREET: Street,
    AreaLevel.COMMUNITY: Community,
    AreaLevel.GRID: Grid,
}
CHILD_LEVEL = {
    AreaLevel.CITY: AreaLevel.DISTRICT,
    AreaLevel.DISTRICT: AreaLevel.STREET,
    AreaLevel.STREET: AreaLevel.COMMUNITY,
    AreaLevel.COMMUNITY: AreaLevel.GRID,
    AreaLevel.GRID: None,
}


def level_below(level: str) -> str:
    """The level a per-area table lists for a scope at `level` (grids list themselves)."""
    return CHILD_LEVEL[level] or AreaLevel.GRID


PARENT_LEVEL = {
    AreaLevel.STREET: AreaLevel.DISTRICT,
    AreaLevel.COMMUNITY: AreaLevel.STREET,
    AreaLevel.GRID: AreaLevel.COMMUNITY,
}


def area_key(level: str, *, db_constraint: bool = True) -> models.ForeignKey:
    """The `level` key of a GridScopedModel. `db_constraint=False` for a table written so often
    that the database's check of each copied key (a lookup and a shared lock on an area's row,
    which every other write in that area takes too) costs more than it guards: see Visit."""
    level = AreaLevel(level)
    return models.ForeignKey(
        AREA_MODELS[level],
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=level.label,
        db_index=False,
        db_constraint=db_constraint,
    )


class GridScopedModel(models.Model):
    """Base for anything that lives in a grid (veterans, visits, cases).

    The ancestor keys are copied from the grid by the services that write these rows, so that
    `scope_queryset` filters on one indexed column whatever the user's level.
    """

    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "community_id",
        AreaLevel.GRID: "grid_id",
    }
    # Rows about people: only data roles get them from `scope_queryset` (see there). A model that
    # is not about anyone (a grid's group robot) says False.
    personal_data = True

    # No single-column indexes: each model indexes (area key, its list order) at every level,
    # which serves the scope filter, the ordering and the foreign-key checks at once.
    district = area_key("district")
    street = area_key("street")
    community = area_key("community")
    grid = area_key("grid")

    class Meta:
        abstract = True

    @staticmethod
    def scope_indexes(prefix: str, order_field: str, condition=None) -> list[models.Index]:
        """(area key, order field) at each level, named `<prefix>_<level>_<order>`.

        With `condition` (e.g. only live records) the index is partial, and a COUNT(*) of a
        whole district can be answered from the index alone.
        """
        return [
            models.Index(
                fields=[level, order_field], name=f"{prefix}_{level[:4]}_{order_field[:8]}_idx", condition=condition
            )
            for level in ("district", "street", "community", "grid")
        ]

    def place_in_grid(self, grid: Grid) -> None:
        self.grid = grid
        self.community_id = grid.community_id
        self.street_id = grid.street_id
        self.district_id = grid.district_id


class Role(models.TextChoices):
    BUREAU_LEADER = "bureau_leader", _("局领导")
    STATION_STAFF = "station_staff", _("服务站工作人员")
    GRID_LEADER = "grid_leader", _("网格长")
    GRID_WORKER = "grid_worker", _("网格员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    AUDITOR = "auditor", _("审计员")


@dataclass(frozen=True)
class City:
    """The whole deployment — one city's veterans' affairs bureau — above its districts. Not a
    table: a city-level scope (市局领导) simply sees every district."""

    name: str
    pk: int = 0
    level: str = AreaLevel.CITY
    code: str = ""

    def __str__(self) -> str:
        return self.name


def the_city() -> City:
    return City(name=settings.CITY_NAME)


class StaffProfile(models.Model):
    """Binds a user to one role and one scope.

    The scope is the area at `scope_level` (for grid roles: the grids in `grids`). The ancestor
    keys above that level are filled too, so profiles themselves can be scoped like any row.
    """

    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "community_id",
    }

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("用户"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    scope_level = models.CharField(_("管辖层级"), max_length=10, choices=AreaLevel.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区/县"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("街道/镇"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区/村"),
    )
    grids = models.ManyToManyField(Grid, blank=True, related_name="staff_profiles", verbose_name=_("网格"))
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["user__username"]
        indexes = [models.Index(fields=["role", "scope_level"], name="staff_role_level_idx")]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name}（{self.get_role_display()}）"

    @property
    def scope_area(self):
        """The one area of an area-level scope (the city for 全市); None for grid roles."""
        if self.scope_level == AreaLevel.CITY:
            return the_city()
        if self.scope_level == AreaLevel.GRID:
            return None
        return getattr(self, self.scope_level)
