"""The employment and entrepreneurship real-name registry (就业创业实名登记): one profile per
working-age person with the history of their status, certificates and wishes; the district's
partner employers and employment bases (就业创业基地); job referrals and job fairs (招聘会).
Written only through employment.services."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import District, GridScopedModel, phone_validator


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("已就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    SEEKING = "seeking", _("失业求职中")
    NOT_SEEKING = "not_seeking", _("失业未求职")
    RETIRED = "retired", _("已退休")


# A change into one of these is a placement (实现就业), counted by the dashboard.
PLACED_STATUSES = (EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED)
WORKING_AGE_FROM, WORKING_AGE_TO = 16, 60

# Through the person's district: everyone working in the district reads its employers, bases and
# fairs. One area id per street or community scope, so each join matches at most one row.
DISTRICT_WIDE_LOOKUPS = {
    "district": "district_id",
    "street": "district__streets__id",
    "community": "district__streets__communities__id",
}


class EmploymentProfile(GridScopedModel):
    """One person's line of the registry. Placed in the person's grid, and moved with the person
    (employment.apps follows veterans.services.veteran_move_grid)."""

    person = models.OneToOneField(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="employment_profile", verbose_name=_("姓名")
    )
    status = models.CharField(_("就业状态"), max_length=16, choices=EmploymentStatus.choices)
    status_since = models.DateField(_("状态起始日期"))
    workplace = models.CharField(_("就业单位或创业项目"), max_length=100, blank=True)
    skills = models.CharField(_("技能特长"), max_length=200, blank=True)
    wants_job = models.BooleanField(_("有求职意愿"), default=False)
    wants_training = models.BooleanField(_("有培训意愿"), default=False)
    wants_business = models.BooleanField(_("有创业意愿"), default=False)
    wish_note = models.CharField(_("意愿说明"), max_length=300, blank=True)
    registered_on = models.DateField(_("登记日期"))
    registered_by = user_reference(_("登记人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("就业创业实名登记")
        verbose_name_plural = _("就业创业实名登记")
        ordering = ["-id"]
        indexes = [
            *GridScopedModel.scope_indexes("empprof", "status"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class StatusChange(models.Model):
    """One line of a profile's status history; the first (from nothing) is the registration."""

    scope_lookups = {level: f"profile__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    profile = models.ForeignKey(
        EmploymentProfile, on_delete=models.CASCADE, related_name="changes", verbose_name=_("登记")
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=EmploymentStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=EmploymentStatus.choices)
    changed_on = models.DateField(_("变更日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    actor = user_reference(_("记录人"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("就业状态变更")
        verbose_name_plural = _("就业状态变更")
        ordering = ["profile", "changed_on", "id"]
        indexes = [models.Index(fields=["to_status", "changed_on"], name="empchange_to_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Certificate(models.Model):
    """A vocational qualification or skill certificate the person holds."""

    scope_lookups = {level: f"profile__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    profile = models.ForeignKey(
        EmploymentProfile, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("登记")
    )
    name = models.CharField(_("证书名称"), max_length=100)
    issuer = models.CharField(_("发证机构"), max_length=100)
    issued_on = models.DateField(_("发证日期"))

    class Meta:
        verbose_name = _("技能证书")
        verbose_name_plural = _("技能证书")
        ordering = ["profile", "issued_on", "id"]

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    """A partner employer (合作企业) of a district, by its unified social credit code."""

    scope_lookups = DISTRICT_WIDE_LOOKUPS

    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区/县"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    veteran_owned = models.BooleanField(_("老兵企业"), default=False)
    active = models.BooleanField(_("合作中"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作企业")
        verbose_name_plural = _("合作企业")
        ordering = ["district", "name"]
        indexes = [models.Index(fields=["district", "name"], name="employer_district_idx")]

    def __str__(self) -> str:
        return self.name


class EmploymentBase(models.Model):
    """An employment and entrepreneurship base (就业创业基地), often at a veteran-run firm."""

    scope_lookups = DISTRICT_WIDE_LOOKUPS

    name = models.CharField(_("基地名称"), max_length=100)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bases",
        verbose_name=_("依托企业"),
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区/县"))
    address = models.CharField(_("地址"), max_length=200)
    capacity = models.PositiveIntegerField(_("可容纳就业人数"))
    established_on = models.DateField(_("挂牌日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("就业创业基地")
        verbose_name_plural = _("就业创业基地")
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="employment_base_name_unique")]

    def __str__(self) -> str:
        return self.name


class ReferralResult(models.TextChoices):
    PENDING = "pending", _("待反馈")
    HIRED = "hired", _("已录用")
    REJECTED = "rejected", _("未录用")
    DECLINED = "declined", _("本人放弃")


class JobReferral(GridScopedModel):
    """A person recommended to an employer for a position (推荐就业), tracked to a result."""

    person = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="job_referrals", verbose_name=_("姓名")
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("企业"))
    position = models.CharField(_("推荐岗位"), max_length=100)
    referred_on = models.DateField(_("推荐日期"))
    result = models.CharField(
        _("推荐结果"), max_length=10, choices=ReferralResult.choices, default=ReferralResult.PENDING
    )
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    referred_by = user_reference(_("推荐人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐就业")
        verbose_name_plural = _("推荐就业")
        ordering = ["-referred_on", "-id"]
        indexes = [
            *GridScopedModel.scope_indexes("jobref", "referred_on"),
            models.Index(fields=["person", "result", "result_on"], name="jobref_person_result_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result="pending") & Q(result_on__isnull=True))
                | (~Q(result="pending") & Q(result_on__gte=models.F("referred_on"))),
                name="jobref_result_dated_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.employer} {self.position}"


class JobFair(models.Model):
    """A job fair (招聘会) organised in a district."""

    scope_lookups = DISTRICT_WIDE_LOOKUPS

    name = models.CharField(_("招聘会名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("举办地点"), max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办区/县"))
    employers_count = models.PositiveSmallIntegerField(_("参会企业数"), default=0)
    positions_count = models.PositiveIntegerField(_("提供岗位数"), default=0)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["district", "held_on"], name="jobfair_district_day_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.held_on:%Y-%m-%d}）"


class FairAttendance(GridScopedModel):
    """One person at one fair: the offers received, and whether it led to a job."""

    fair = models.ForeignKey(JobFair, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("招聘会"))
    person = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="fair_attendances", verbose_name=_("姓名")
    )
    offers = models.PositiveSmallIntegerField(_("收到录用意向数"), default=0)
    offer_employers = models.CharField(_("意向企业"), max_length=300, blank=True)
    hired = models.BooleanField(_("已实现就业"), default=False)
    hired_on = models.DateField(_("就业日期"), null=True, blank=True)
    recorded_by = user_reference(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招聘会参会")
        verbose_name_plural = _("招聘会参会")
        ordering = ["fair", "id"]
        indexes = [*GridScopedModel.scope_indexes("fairatt", "id")]
        constraints = [
            models.UniqueConstraint(fields=["fair", "person"], name="fair_attendance_once"),
            models.CheckConstraint(
                condition=Q(hired=False, hired_on__isnull=True) | Q(hired=True, hired_on__isnull=False),
                name="fair_attendance_hired_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.fair}"


# The assistance case types of self-employment money (employment/migrations/0002_defaults.py):
# paid only through the hardship-case workflow and its relief-fund rules.
SELF_EMPLOYMENT_GRANT = "自主创业补贴"
LOAN_INTEREST_SUBSIDY = "创业担保贷款贴息"
ENTREPRENEURSHIP_CASE_TYPES = (SELF_EMPLOYMENT_GRANT, LOAN_INTEREST_SUBSIDY)
