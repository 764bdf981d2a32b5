"""Honours the bureau gives beyond a person's own service (荣誉激励): selection rounds such as
最美退役军人, 五好家属 and 和谐光荣之家 with their nominations, and the 立功喜报 a serving soldier's
unit sends home, handed to the family by the grid worker or at a ceremony.

Not the military honours of a veteran's service (立功受奖): those are veterans.Honour."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import AreaLevel, GridScopedModel


class SelectionKind(models.TextChoices):
    MOST_BEAUTIFUL = "most_beautiful", _("最美退役军人")
    FIVE_GOOD_FAMILY = "five_good_family", _("五好家属")
    HARMONIOUS_HOME = "harmonious_home", _("和谐光荣之家")
    OTHER = "other", _("其他")


class SelectionLevel(models.TextChoices):
    DISTRICT = "district", _("区县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


class SelectionStatus(models.TextChoices):
    NOMINATING = "nominating", _("推荐中")
    REVIEWING = "reviewing", _("评审中")
    ANNOUNCED = "announced", _("已公布")


class Selection(models.Model):
    """One selection round run by a district's bureau (it also gathers the district's nominees for
    a city or province round). Every station of the district sees it: the scope reaches it from
    the street and community below; grid teams take no part in nominating."""

    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "district__streets__id",
        AreaLevel.COMMUNITY: "district__streets__communities__id",
    }
    personal_data = False

    name = models.CharField(_("评选名称"), max_length=100)
    kind = models.CharField(_("评选类别"), max_length=20, choices=SelectionKind.choices)
    level = models.CharField(_("评选级别"), max_length=10, choices=SelectionLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    district = models.ForeignKey("grids.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    nomination_deadline = models.DateField(_("推荐截止日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=SelectionStatus.choices, default=SelectionStatus.NOMINATING
    )
    announced_on = models.DateField(_("公布日期"), null=True, blank=True)
    created_by = user_reference(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评选表彰")
        verbose_name_plural = _("评选表彰")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="selection_name_once"),
            models.CheckConstraint(
                condition=Q(status="announced", announced_on__isnull=False)
                | (~Q(status="announced") & Q(announced_on__isnull=True)),
                name="selection_announced_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    SELECTED = "selected", _("当选")
    NOT_SELECTED = "not_selected", _("未当选")


class Nomination(GridScopedModel):
    """A person put forward in a selection, placed in the person's grid so each station sees and
    counts its own people."""

    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("评选")
    )
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("推荐对象")
    )
    nominated_by = models.CharField(_("推荐单位"), max_length=100)
    reason = models.TextField(_("推荐事迹"))
    nominated_on = models.DateField(_("推荐日期"))
    status = models.CharField(
        _("结果"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    decided_on = models.DateField(_("评定日期"), null=True, blank=True)
    decided_by = user_reference(_("评定人"))
    recorded_by = user_reference(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评选推荐")
        verbose_name_plural = _("评选推荐")
        ordering = ["selection", "id"]
        permissions = [("decide_nomination", _("可评定推荐结果"))]
        indexes = [*GridScopedModel.scope_indexes("nomination", "decided_on")]
        constraints = [
            models.UniqueConstraint(fields=["selection", "veteran"], name="nomination_once_per_selection"),
            models.CheckConstraint(
                condition=Q(status="nominated", decided_on__isnull=True)
                | (~Q(status="nominated") & Q(decided_on__gte=models.F("nominated_on"))),
                name="nomination_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.selection} {self.veteran}"


class MeritKind(models.TextChoices):
    FIRST_CLASS = "first_class", _("一等功")
    SECOND_CLASS = "second_class", _("二等功")
    THIRD_CLASS = "third_class", _("三等功")
    COMMENDATION = "commendation", _("嘉奖")
    OUTSTANDING_SOLDIER = "outstanding_soldier", _("优秀士兵")
    OTHER = "other", _("其他")


class DeliveryWay(models.TextChoices):
    HOME = "home", _("上门送达")
    CEREMONY = "ceremony", _("集中颁发")
    OTHER = "other", _("其他方式")


class MeritNotice(GridScopedModel):
    """A 立功喜报 of a serving soldier, received by the bureau and handed to the family at home.
    `delivered_on` is the day the family received it; until then the notice waits."""

    family = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="merit_notices", verbose_name=_("军属")
    )
    soldier_name = models.CharField(_("立功军人姓名"), max_length=50)
    unit = models.CharField(_("所在部队"), max_length=100)
    merit_kind = models.CharField(_("立功受奖类别"), max_length=20, choices=MeritKind.choices)
    received_on = models.DateField(_("收到喜报日期"))
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivered_by = user_reference(_("送达人"))
    delivery_way = models.CharField(_("送达方式"), max_length=10, choices=DeliveryWay.choices, blank=True)
    delivery_note = models.CharField(_("送达情况"), max_length=300, blank=True)
    # A re-encoded JPEG without metadata (core.uploads.images.clean_image), served only through
    # the scoped view honours.views.notice_photo.
    photo = models.ImageField(_("送达照片"), upload_to="merit_notices/%Y/%m/", blank=True)
    recorded_by = user_reference(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("立功喜报")
        verbose_name_plural = _("立功喜报")
        ordering = ["-received_on", "-id"]
        permissions = [("deliver_meritnotice", _("可登记喜报送达"))]
        indexes = [
            *GridScopedModel.scope_indexes("merit", "received_on"),
            models.Index(fields=["received_on"], condition=Q(delivered_on__isnull=True), name="merit_waiting_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True, delivery_way="")
                | (Q(delivered_on__gte=models.F("received_on")) & ~Q(delivery_way="")),
                name="merit_delivery_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.soldier_name} {self.get_merit_kind_display()}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None
