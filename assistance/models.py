"""Help that arrives: relief funds on an append-only ledger (cases, appeals and wishes follow)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.db.append_only import AppendOnlyModel
from core.fields import user_reference
from core.money import yuan
from core.numbers import MONEY
from grids.models import District, GridScopedModel, Street, the_city


class FundLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区/县级")
    STREET = "street", _("街道/镇级")


# Funds above the districts belong to the city (the deployment's top area): no district key.
CITY_WIDE_LEVELS = (FundLevel.PROVINCE, FundLevel.CITY)


class ReliefFund(models.Model):
    """A relief fund (帮扶基金). Its balance is the sum of its ledger entries, kept on the row and
    changed only under a row lock by assistance.services, so it can never go below zero.

    Its owner area follows its level: the city (no district, no street) for a city or province
    fund, the district for a district fund, the street for a street fund. Scoping filters on the
    keys, so a city fund is seen only by city-wide users."""

    scope_lookups = {"district": "district_id", "street": "street_id"}

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=FundLevel.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区/县"),
        help_text=_("市级、省级基金属于全市，不选"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("街道/镇"),
        help_text=_("仅街道/镇级基金选择"),
    )
    balance = models.DecimalField(_("余额（元）"), default=0, editable=False, **MONEY)
    created_at = models.DateTimeField(_("设立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶基金")
        verbose_name_plural = _("帮扶基金")
        ordering = ["district", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative"),
            models.UniqueConstraint(fields=["district", "name"], name="fund_name_unique"),
            models.UniqueConstraint(fields=["name"], condition=Q(district__isnull=True), name="city_fund_name_unique"),
            models.CheckConstraint(
                condition=(Q(level__in=CITY_WIDE_LEVELS) & Q(district__isnull=True) & Q(street__isnull=True))
                | (Q(level=FundLevel.DISTRICT) & Q(district__isnull=False) & Q(street__isnull=True))
                | (Q(level=FundLevel.STREET) & Q(district__isnull=False) & Q(street__isnull=False)),
                name="fund_owner_matches_level",
                violation_error_message=_(
                    "基金级别与所属区域不符：市级、省级基金属于全市，区/县级基金属于一个区/县，街道/镇级基金属于一个街道/镇。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_area(self):
        """The area that owns the fund: its street, its district, or the city."""
        return self.street or self.district or the_city()


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("财政拨款")
    DONATION = "donation", _("社会捐赠")
    PAYMENT = "payment", _("救助支出")
    REVERSAL = "reversal", _("冲正")


class DonorKind(models.TextChoices):
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("企业")
    ANONYMOUS = "anonymous", _("匿名")


class FundEntry(AppendOnlyModel):
    """One line of a fund's ledger: money in (+) or out (−). Never edited or deleted; a mistake
    is corrected by a reversal entry that points at it."""

    scope_lookups = {"district": "fund__district_id", "street": "fund__street_id"}

    fund = models.ForeignKey(ReliefFund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("基金"))
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    balance_after = models.DecimalField(_("发生后余额（元）"), **MONEY)
    donor_kind = models.CharField(_("捐赠方类型"), max_length=12, choices=DonorKind.choices, blank=True)
    donor_name = models.CharField(_("捐赠方"), max_length=100, blank=True)
    receipt_no = models.CharField(_("收据编号"), max_length=40, blank=True)
    reference = models.CharField(_("用途或依据"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲正的分录"),
    )
    created_by = user_reference(_("经办人"), null=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("基金收支明细")
        verbose_name_plural = _("基金收支明细")
        ordering = ["fund", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="fund_entry_amount_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="fund_entry_balance_not_negative"),
            models.UniqueConstraint(
                fields=["fund", "receipt_no"], condition=~Q(receipt_no=""), name="fund_receipt_unique"
            ),
        ]
        indexes = [models.Index(fields=["fund", "created_at"], name="fund_entry_time_idx")]

    def __str__(self) -> str:
        return f"{self.fund} {self.get_kind_display()} {yuan(self.amount)}"


class FundDraw(AppendOnlyModel):
    """Which income paid which payment: a payment draws on the oldest unspent allocations and
    donations first (first in, first out), so every yuan can be followed from the donation to
    the case it paid. A payment's reversal writes the opposite draws, giving the money back."""

    entry = models.ForeignKey(FundEntry, on_delete=models.PROTECT, related_name="draws", verbose_name=_("支出分录"))
    source = models.ForeignKey(FundEntry, on_delete=models.PROTECT, related_name="drawn_by", verbose_name=_("资金来源"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)

    class Meta:
        verbose_name = _("资金去向")
        verbose_name_plural = _("资金去向")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="fund_draw_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.entry_id}: {self.amount}"


class FundSource(models.Model):
    """What is still unspent of one allocation or donation: the first-in-first-out cursor that
    payments draw on. A cache of the draws, changed only under the fund's row lock."""

    entry = models.OneToOneField(
        FundEntry, on_delete=models.PROTECT, primary_key=True, related_name="unspent", verbose_name=_("收入分录")
    )
    fund = models.ForeignKey(ReliefFund, on_delete=models.PROTECT, related_name="+", verbose_name=_("基金"))
    remaining = models.DecimalField(_("未使用（元）"), **MONEY)

    class Meta:
        verbose_name = _("资金来源余额")
        verbose_name_plural = _("资金来源余额")
        constraints = [models.CheckConstraint(condition=Q(remaining__gte=0), name="fund_source_not_negative")]
        indexes = [models.Index(fields=["fund", "entry"], condition=Q(remaining__gt=0), name="fund_source_unspent_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.remaining}"


class CaseType(models.Model):
    """A kind of help (大病医疗救助, 临时困难补助...) with its amount rules. Data, not code:
    stations can add one."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    min_amount = models.DecimalField(_("单次最低（元）"), **MONEY)
    max_amount = models.DecimalField(_("单次最高（元）"), **MONEY)
    yearly_cap = models.DecimalField(_("每户每年上限（元）"), **MONEY)
    special_ceiling = models.DecimalField(_("特殊困难上限（元）"), **MONEY)
    station_limit = models.DecimalField(
        _("服务站可审批金额（元）"), default=0, help_text=_("不超过此金额的，服务站审核后即可批准"), **MONEY
    )

    class Meta:
        verbose_name = _("救助类型")
        verbose_name_plural = _("救助类型")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gte=0)
                & Q(max_amount__gte=models.F("min_amount"))
                & Q(yearly_cap__gte=models.F("max_amount"))
                & Q(special_ceiling__gte=models.F("yearly_cap")),
                name="case_type_amounts_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补充")
    REVIEWED = "reviewed", _("服务站已审核")
    APPROVED = "approved", _("已批准")
    PAID = "paid", _("已发放")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


# Cases still on their way to the person: saved, reported, under review, or approved and not yet paid.
OPEN_CASE_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.SUBMITTED,
    CaseStatus.RETURNED,
    CaseStatus.REVIEWED,
    CaseStatus.APPROVED,
)


class HardshipCase(GridScopedModel):
    """A hardship case: opened from a visit or by staff, reviewed by the station, approved by the
    bureau (or the station up to the type's limit), paid from a relief fund."""

    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="hardship_cases", verbose_name=_("退役军人")
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("救助类型"))
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    description = models.TextField(_("困难情况"))
    reported_on = models.DateField(_("首次获知日期"), help_text=_("如发现困难的走访日期"))
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardship_cases",
        verbose_name=_("发现困难的走访"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    amount_requested = models.DecimalField(_("申请金额（元）"), **MONEY)
    amount_approved = models.DecimalField(_("批准金额（元）"), null=True, blank=True, **MONEY)
    special = models.BooleanField(_("特殊困难"), default=False)
    special_reason = models.CharField(_("特殊困难理由"), max_length=300, blank=True)
    fund = models.ForeignKey(
        ReliefFund, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("支出基金")
    )
    payment = models.OneToOneField(
        FundEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="case", verbose_name=_("支出分录")
    )
    opened_by = user_reference(_("发起人"), null=False)
    approved_by = user_reference(_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("困难救助")
        verbose_name_plural = _("困难救助")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_hardshipcase", _("可审核困难救助（服务站）")),
            ("approve_hardshipcase", _("可批准困难救助（局）")),
            ("pay_hardshipcase", _("可登记救助发放")),
        ]
        indexes = [
            *GridScopedModel.scope_indexes("case", "created_at"),
            models.Index(fields=["veteran", "status", "paid_at"], name="case_household_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="case_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} {self.case_type}"

    @property
    def days_to_payment(self) -> int | None:
        if self.paid_at is None:
            return None
        from django.utils import timezone

        return (timezone.localtime(self.paid_at).date() - self.reported_on).days


class CaseAction(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回补充")
    REVIEW = "review", _("审核通过")
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("不予批准")
    WITHDRAW = "withdraw", _("撤回")
    PAY = "pay", _("登记发放")
    CLOSE = "close", _("办结")
    REVERSE = "reverse", _("发放冲正")


class CaseStep(models.Model):
    case = models.ForeignKey(HardshipCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("救助"))
    action = models.CharField(_("操作"), max_length=20, choices=CaseAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=CaseStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=10, choices=CaseStatus.choices)
    actor = user_reference(_("操作人"), null=False)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()}"


class AttachmentKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("诊断证明")
    INVOICE = "invoice", _("医疗费用票据")
    HOUSEHOLD = "household", _("家庭情况证明")
    OTHER = "other", _("其他材料")


class CaseAttachment(models.Model):
    """Supporting papers of a case (PDF or image), checked by content, served only in scope."""

    case = models.ForeignKey(HardshipCase, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("救助"))
    kind = models.CharField(_("材料类型"), max_length=12, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件格式"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = user_reference(_("上传人"), null=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("救助材料")
        verbose_name_plural = _("救助材料")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="case_attachment_once")]

    def __str__(self) -> str:
        return self.original_name
