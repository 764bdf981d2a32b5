"""Visits (走访慰问), visit policies, must-visit events, campaigns, grid activities, reminders."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from core.numbers import MONEY
from grids.models import Community, District, GridScopedModel, Street, area_key
from veterans.models import Veteran


class PolicyGroup(models.TextChoices):
    AGE_80_PLUS = "age_80_plus", _("80岁及以上")
    EXTREME_HARDSHIP = "extreme_hardship", _("特别困难（特困、低保）")
    DISABLED_1_4 = "disabled_1_4", _("1至4级残疾军人")
    PRIORITY_CARE = "priority_care", _("其他重点优抚对象")
    EVERYONE = "everyone", _("其他退役军人")


DEFAULT_INTERVALS = {
    PolicyGroup.AGE_80_PLUS: 30,
    PolicyGroup.EXTREME_HARDSHIP: 30,
    PolicyGroup.DISABLED_1_4: 30,
    PolicyGroup.PRIORITY_CARE: 90,
    PolicyGroup.EVERYONE: 182,
}


class VisitPolicy(models.Model):
    """How often each group must be visited. A person in several groups takes the shortest."""

    group = models.CharField(_("人群"), max_length=20, choices=PolicyGroup.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(
        _("走访周期（天）"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("走访周期")
        verbose_name_plural = _("走访周期")
        ordering = ["interval_days", "group"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}：{self.interval_days}天"


class VisitMethod(models.TextChoices):
    HOME = "home", _("入户走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    STATION = "station", _("来站")
    OTHER = "other", _("其他")


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("日常走访")
    MUST_VISIT = "must_visit", _("必访")
    CAMPAIGN = "campaign", _("节日慰问")
    FOLLOW_UP = "follow_up", _("跟进回访")


class EventKind(models.TextChoices):
    HOSPITAL = "hospital", _("住院")
    SERIOUS_ILLNESS = "serious_illness", _("重病")
    FAMILY_CHANGE = "family_change", _("家庭重大变故或亲人去世")
    HARDSHIP = "hardship", _("生活困难")
    DISPUTE = "dispute", _("矛盾纠纷")
    OTHER = "other", _("其他")


class MustVisitEvent(GridScopedModel):
    """One of the 六必访 situations: a visit becomes due within a set number of days."""

    veteran = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="must_visit_events", verbose_name=_("退役军人")
    )
    kind = models.CharField(_("事由"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    due_by = models.DateField(_("应访日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    reported_by = user_reference(_("报告人"), null=False)
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        "Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolved_events",
        verbose_name=_("走访记录"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    resolved_at = models.DateTimeField(_("走访时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("必访事项")
        verbose_name_plural = _("必访事项")
        ordering = ["due_by"]
        indexes = [
            models.Index(fields=["veteran", "resolved_at"], name="event_open_idx"),
            *GridScopedModel.scope_indexes("event", "due_by"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran}：{self.get_kind_display()}"


class CampaignKind(models.TextChoices):
    ARMY_DAY = "army_day", _("八一建军节")
    SPRING_FESTIVAL = "spring_festival", _("春节")
    MID_AUTUMN = "mid_autumn", _("中秋节")
    DOUBLE_NINTH = "double_ninth", _("重阳节")
    OTHER = "other", _("其他")


class CampaignTarget(models.TextChoices):
    ALL = "all", _("全体退役军人")
    PRIORITY_CARE = "priority_care", _("重点优抚对象")
    AGE_80_PLUS = "age_80_plus", _("80岁及以上")
    HARDSHIP = "hardship", _("困难退役军人")
    KOREAN_WAR = "korean_war", _("抗美援朝老兵")
    DISABLED = "disabled", _("残疾军人")


class Campaign(models.Model):
    """A holiday campaign: a group in an area, visited within a period."""

    scope_lookups = {"district": "district_id", "street": "street_id", "community": "community_id"}

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("节日"), max_length=20, choices=CampaignKind.choices)
    target = models.CharField(_("慰问对象"), max_length=20, choices=CampaignTarget.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道/镇")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("社区/村")
    )
    created_by = user_reference(_("创建人"), null=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节日慰问活动")
        verbose_name_plural = _("节日慰问活动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_valid")
        ]

    def __str__(self) -> str:
        return self.name


# A position from the phone's geolocation, in WGS 84 degrees (what browsers report).
LATITUDE_RANGE = _("纬度应在 -90 到 90 之间。")
LONGITUDE_RANGE = _("经度应在 -180 到 180 之间。")
MAX_LOCATION_ACCURACY = 100_000  # metres: a "fix" coarser than 100 km says nothing of where the visit was


class Visit(GridScopedModel):
    """One visit. `client_id` comes from the form, so a double submit records one visit."""

    # The veteran's grid's keys, copied in the statement that reads the grid: a database check
    # of each would also lock the area's row, which every submit in that area locks (on PostgreSQL
    # a MultiXact per overlap). The veteran's own key is checked; PROTECT still holds in the ORM.
    district = area_key("district", db_constraint=False)
    street = area_key("street", db_constraint=False)
    community = area_key("community", db_constraint=False)
    grid = area_key("grid", db_constraint=False)
    # Once per visit through VisitClaim: on PostgreSQL visits are partitioned by month
    # (core.db.partitions), where a unique key would have to hold the month too.
    client_id = models.UUIDField(_("提交编号"), default=uuid.uuid4, editable=False)
    # No index of its own (nor the campaign's): visit_veteran_idx and visit_campaign_idx lead with them.
    veteran = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="visits", verbose_name=_("退役军人"), db_index=False
    )
    visited_at = models.DateTimeField(_("走访时间"))
    recorded_by = user_reference(_("记录人"), null=False)
    visitors = models.ManyToManyField(  # no constraints: nothing may point at a partitioned table
        settings.AUTH_USER_MODEL, related_name="visits_made", blank=True, verbose_name=_("走访人"), db_constraint=False
    )
    method = models.CharField(_("方式"), max_length=10, choices=VisitMethod.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=VisitKind.choices, default=VisitKind.ROUTINE)
    event_kind = models.CharField(_("必访事由"), max_length=20, choices=EventKind.choices, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("节日慰问活动"),
        db_index=False,
    )
    findings = models.TextField(_("走访情况"), blank=True)
    needs = models.TextField(_("反映需求"), blank=True)
    money = models.DecimalField(_("慰问金（元）"), default=0, validators=[MinValueValidator(0)], **MONEY)
    goods = models.CharField(_("慰问物品"), max_length=200, blank=True)
    goods_value = models.DecimalField(_("物品价值（元）"), default=0, validators=[MinValueValidator(0)], **MONEY)
    follow_up_needed = models.BooleanField(_("需要跟进"), default=False)
    follow_up_by = models.DateField(_("跟进期限"), null=True, blank=True)
    # Where the phone was, recorded only when the worker asked for it (记录位置) and the phone agreed.
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90, LATITUDE_RANGE), MaxValueValidator(90, LATITUDE_RANGE)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180, LONGITUDE_RANGE), MaxValueValidator(180, LONGITUDE_RANGE)],
    )
    location_accuracy = models.PositiveIntegerField(
        _("定位精度（米）"), null=True, blank=True, validators=[MaxValueValidator(MAX_LOCATION_ACCURACY)]
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["veteran", "visited_at"], name="visit_veteran_idx"),
            *GridScopedModel.scope_indexes("visit", "visited_at"),
            # Only campaign visits: most visits have none, and their NULLs would fill the index.
            models.Index(
                fields=["campaign", "veteran"], name="visit_campaign_idx", condition=Q(campaign__isnull=False)
            ),
            # The whole city's visits newest first (city-wide staff's ledger) and the date
            # hierarchy's first and last day: the area-keyed indexes above cannot serve them.
            models.Index(fields=["visited_at", "id"], name="visit_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(money__gte=0) & Q(goods_value__gte=0), name="visit_amounts_not_negative"
            ),
            # A position is both coordinates, in range, or none at all (and then no accuracy either).
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True, location_accuracy__isnull=True)
                    | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)
                ),
                name="visit_position_valid",
            ),
        ]

    def __str__(self) -> str:
        # The day as people in the district live it: a visit at 04:41 is on the previous day in UTC.
        return f"{self.veteran} {timezone.localtime(self.visited_at):%Y-%m-%d}"


class VisitClaim(models.Model):
    """A form's number (client_id), taken once: the same form sent again, at whatever time and
    however often, finds the first visit here. Visits cannot keep the number unique themselves:
    partitioned by month, their unique keys must hold the month."""

    client_id = models.UUIDField(_("提交编号"), primary_key=True)
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="claims", verbose_name=_("走访记录"), db_constraint=False
    )
    visited_at = models.DateTimeField(_("走访时间"))  # the visit's month, so finding it reads one partition

    class Meta:
        verbose_name = _("提交编号")
        verbose_name_plural = _("提交编号")

    def __str__(self) -> str:
        return str(self.client_id)


class VisitPhoto(models.Model):
    visit = models.ForeignKey(  # no constraint: visits are partitioned by month on PostgreSQL
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("走访记录"), db_constraint=False
    )
    image = models.ImageField(_("照片"), upload_to="visits/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")

    def __str__(self) -> str:
        return self.image.name


class ActivityKind(models.TextChoices):
    CONDOLENCE = "condolence", _("走访慰问")
    VOLUNTEER = "volunteer", _("志愿服务")
    LECTURE = "lecture", _("政策宣讲")
    CULTURE = "culture", _("文体活动")
    MILITARY_CIVIL = "military_civil", _("军民共建")
    OTHER = "other", _("其他")


class GridActivity(GridScopedModel):
    """双拥活动 of one grid: what, when, how many took part."""

    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    participants = models.PositiveIntegerField(_("参与人数"), validators=[MaxValueValidator(100000)])
    note = models.TextField(_("说明"), blank=True)
    recorded_by = user_reference(_("记录人"), null=False)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网格活动")
        verbose_name_plural = _("网格活动")
        ordering = ["-held_on", "-id"]
        indexes = GridScopedModel.scope_indexes("activity", "held_on")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """The in-app inbox on /m/. `dedupe_key` makes a daily reminder arrive once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class WebhookChannel(GridScopedModel):
    """A group robot that hears a grid's daily reminder."""

    personal_data = False  # configuration, kept by system admins

    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        indexes = GridScopedModel.scope_indexes("robot", "id")

    def __str__(self) -> str:
        return f"{self.grid} {self.get_kind_display()}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    channel = models.ForeignKey(WebhookChannel, on_delete=models.CASCADE, related_name="deliveries")
    dedupe_key = models.CharField(max_length=120, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("机器人消息")
        verbose_name_plural = _("机器人消息")

    def __str__(self) -> str:
        return self.dedupe_key
