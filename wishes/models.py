"""Micro-wishes (微心愿): what a veteran wishes for, who claimed it, and proof it came true.

collected → published → claimed (by a donor) → fulfilled (with a photo) → confirmed (销号);
a wish not yet fulfilled can be cancelled with a reason. Written only by wishes.services.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.crypto.fields import EncryptedCharField
from core.fields import user_reference
from core.numbers import MONEY
from grids.models import GridScopedModel, phone_validator

# A micro-wish is small by nature: anything dearer belongs in a hardship case.
WISH_VALUE_LIMIT = Decimal("20000.00")
VALUE_NEGATIVE = _("预估价值不能为负数。")
VALUE_TOO_HIGH = _("微心愿预估价值不能超过 %(limit_value)s 元；更大的困难请走困难救助。")


class WishStatus(models.TextChoices):
    COLLECTED = "collected", _("已收集")
    PUBLISHED = "published", _("已发布")
    CLAIMED = "claimed", _("已认领")
    FULFILLED = "fulfilled", _("已实现")
    CONFIRMED = "confirmed", _("已确认（销号）")
    CANCELLED = "cancelled", _("已取消")


# A veteran with a wish in one of these states counts as covered; with one of the last two, as helped.
LIVE_STATUSES = (
    WishStatus.COLLECTED,
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.FULFILLED,
    WishStatus.CONFIRMED,
)
DONE_STATUSES = (WishStatus.FULFILLED, WishStatus.CONFIRMED)
CLAIMED_STATUSES = (WishStatus.CLAIMED, *DONE_STATUSES)


class DonorKind(models.TextChoices):
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("企业")
    ORGANISATION = "organisation", _("社会组织")
    ANONYMOUS = "anonymous", _("匿名")


class MicroWish(GridScopedModel):
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="wishes", verbose_name=_("退役军人")
    )
    title = models.CharField(_("心愿"), max_length=100, help_text=_("如：一台新轮椅"))
    description = models.TextField(_("具体情况"), blank=True)
    estimated_value = models.DecimalField(
        _("预估价值（元）"),
        **MONEY,
        validators=[
            MinValueValidator(Decimal("0"), message=VALUE_NEGATIVE),
            MaxValueValidator(WISH_VALUE_LIMIT, message=VALUE_TOO_HIGH),
        ],
    )
    status = models.CharField(_("状态"), max_length=10, choices=WishStatus.choices, default=WishStatus.COLLECTED)
    collected_by = user_reference(_("收集人"), null=False)
    collected_on = models.DateField(_("收集日期"))
    published_by = user_reference(_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    donor_kind = models.CharField(_("认领方类型"), max_length=12, choices=DonorKind.choices, blank=True)
    donor_name = models.CharField(_("认领方"), max_length=100, blank=True)
    donor_phone = EncryptedCharField(_("认领方电话"), max_length=20, blank=True, validators=[phone_validator])
    claimed_on = models.DateField(_("认领日期"), null=True, blank=True)
    fulfilled_on = models.DateField(_("实现日期"), null=True, blank=True)
    fulfilment_note = models.TextField(_("实现情况"), blank=True)
    photo = models.ImageField(_("实现照片"), upload_to="wishes/%Y/%m/", blank=True)
    fulfilled_by = user_reference(_("实现登记人"))
    confirmed_by = user_reference(_("确认销号人"))
    confirmed_at = models.DateTimeField(_("确认销号时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_by = user_reference(_("取消人"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("publish_microwish", _("可发布微心愿")),
            ("fulfil_microwish", _("可登记微心愿实现")),
            ("confirm_microwish", _("可确认微心愿销号")),
        ]
        indexes = [
            *GridScopedModel.scope_indexes("wish", "created_at"),
            models.Index(fields=["veteran", "status"], name="wish_veteran_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0) & Q(estimated_value__lte=WISH_VALUE_LIMIT), name="wish_value_range"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLAIMED_STATUSES) | Q(claimed_on__isnull=False), name="wish_claim_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DONE_STATUSES) | (Q(fulfilled_on__isnull=False) & ~Q(photo="")),
                name="wish_fulfilment_has_date_and_photo",
            ),
            models.CheckConstraint(
                condition=~Q(status=WishStatus.CANCELLED) | ~Q(cancel_reason=""), name="wish_cancel_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(claimed_on__isnull=True) | Q(claimed_on__gte=F("collected_on")),
                name="wish_claim_after_collect",
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_on__isnull=True) | Q(fulfilled_on__gte=F("claimed_on")),
                name="wish_fulfil_after_claim",
            ),
            # One live wish of the same title per veteran: a double tap on the phone records it once.
            models.UniqueConstraint(
                fields=["veteran", "title"],
                condition=~Q(status=WishStatus.CANCELLED),
                name="wish_title_once",
                violation_error_message=_("该退役军人已有同名的心愿。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.veteran}：{self.title}"
