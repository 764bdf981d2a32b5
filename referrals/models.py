"""Volunteer teams (服务联盟), their volunteers, the district's list of service providers, and
referrals (转介) of a person's need to one of those providers, tracked to an outcome.

Teams, volunteers and providers are district data: everyone working in the district sees the
district's list (a grid worker refers to it from the phone); only the district's service center
keeps it. A referral lives in the person's grid, like an appeal."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto.fields import EncryptedCharField
from core.fields import user_reference
from grids.models import AreaLevel, District, GridScopedModel, phone_validator

# A district's row seen from below: the street, community or grid of the user lies in it.
DISTRICT_DATA_LOOKUPS = {
    AreaLevel.DISTRICT: "district_id",
    AreaLevel.STREET: "district__streets__id",
    AreaLevel.COMMUNITY: "district__streets__communities__id",
    AreaLevel.GRID: "district__streets__communities__grids__id",
}


class TeamKind(models.TextChoices):
    MEDICAL = "medical", _("医疗服务")
    LEGAL = "legal", _("法律服务")
    EMERGENCY = "emergency", _("应急救援")
    OTHER = "other", _("其他")


class VolunteerTeam(models.Model):
    """One team of the district's service alliance (e.g. Pinghu's 红星团, 军徽团, 暖心团)."""

    scope_lookups = DISTRICT_DATA_LOOKUPS
    personal_data = False

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    name = models.CharField(_("队伍名称"), max_length=50)
    kind = models.CharField(_("服务类型"), max_length=10, choices=TeamKind.choices)
    leader_name = models.CharField(_("负责人"), max_length=50, blank=True)
    leader_phone = EncryptedCharField(_("负责人电话"), max_length=20, blank=True, validators=[phone_validator])
    description = models.CharField(_("服务内容"), max_length=300, blank=True)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="volunteer_team_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def district_of_list(self) -> District | None:
        return self.district if self.district_id else None


class Volunteer(models.Model):
    """A volunteer of a team, with the skills the team can offer; may be a veteran on file."""

    scope_lookups = {level: f"team__{lookup}" for level, lookup in DISTRICT_DATA_LOOKUPS.items()}
    personal_data = True  # a person's name and phone: for the data roles only

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("所属队伍")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    skills = models.CharField(_("专长"), max_length=200, blank=True, help_text=_("如：全科医生、律师、驾驶"))
    veteran = models.ForeignKey(
        "veterans.Veteran",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退役军人档案"),
        help_text=_("志愿者本人是退役军人时关联其档案"),
    )
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["team", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def district_of_list(self) -> District | None:
        return self.team.district if self.team_id else None


class ProviderKind(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("社工机构")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    HOSPITAL = "hospital", _("医院")
    ELDER_CANTEEN = "elder_canteen", _("老年食堂/助餐点")
    DEPARTMENT = "department", _("协作部门")
    VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
    OTHER = "other", _("其他")


class Provider(models.Model):
    """A service provider on the district's list: the only places a referral may go."""

    scope_lookups = DISTRICT_DATA_LOOKUPS
    personal_data = False

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类型"), max_length=20, choices=ProviderKind.choices)
    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("志愿服务队"),
        help_text=_("类型为志愿服务队时选择"),
    )
    services = models.CharField(_("服务内容"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("服务机构")
        verbose_name_plural = _("服务机构")
        ordering = ["district", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="provider_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def district_of_list(self) -> District | None:
        return self.district if self.district_id else None


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("已转介待接收")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒收")
    IN_PROGRESS = "in_progress", _("服务中")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


class Referral(GridScopedModel):
    """A person's need referred to a provider: accepted or declined by it, served, closed with
    an outcome; someone follows it up by `follow_up_on` until it is closed."""

    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("服务对象")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("服务机构")
    )
    need = models.CharField(_("服务需求"), max_length=500)
    referred_on = models.DateField(_("转介日期"))
    referred_by = user_reference(_("转介人"), null=False)
    status = models.CharField(_("状态"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    answered_on = models.DateField(_("接收/拒收日期"), null=True, blank=True)
    outcome = models.TextField(_("服务结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    days_to_close = models.PositiveIntegerField(_("办结用时（天）"), null=True, blank=True, editable=False)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("来源诉求")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源走访"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转介服务")
        verbose_name_plural = _("转介服务")
        ordering = ["-referred_on", "-id"]
        indexes = [
            *GridScopedModel.scope_indexes("referral", "referred_on"),
            # Open referrals by follow-up date: the overdue list, the workbench and the board.
            models.Index(
                fields=["follow_up_on"], condition=Q(status__in=OPEN_STATUSES), name="referral_open_follow_idx"
            ),
            models.Index(fields=["provider", "status"], name="referral_provider_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("referred_on")),
                name="referral_answered_after_referred",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referred_on")),
                name="referral_closed_after_referred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} → {self.provider}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class NoteKind(models.TextChoices):
    REFER = "refer", _("转介")
    ACCEPT = "accept", _("接收")
    DECLINE = "decline", _("拒收")
    PROGRESS = "progress", _("服务进展")
    FOLLOW_UP = "follow_up", _("跟进回访")
    CLOSE = "close", _("办结")
    CANCEL = "cancel", _("撤销")


class ReferralNote(models.Model):
    """The referral's history: every step and every follow-up, who and when."""

    scope_lookups = {level: f"referral__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes", verbose_name=_("转介"))
    kind = models.CharField(_("类型"), max_length=10, choices=NoteKind.choices)
    text = models.CharField(_("内容"), max_length=1000)
    author = user_reference(_("记录人"), null=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转介记录")
        verbose_name_plural = _("转介记录")
        ordering = ["referral", "id"]

    def __str__(self) -> str:
        return self.text[:30]
