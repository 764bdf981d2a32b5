"""One-to-one pairing (一对一结对): a person the bureau serves paired with a cadre, a grid worker, a
volunteer or an enterprise (Zhenping's "企业+贫困户"), who need not have an account here. What
makes a pair count is what it does: its contacts (走访) and, for enterprises, what was given.

Written only through pairing.services; `Veteran.paired_staff` is kept as the file's 网格责任人 and
was turned into pairs once by migration 0003 (see docs/services/pairing.md)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.crypto.fields import EncryptedCharField
from core.fields import user_reference
from core.numbers import MONEY
from grids.models import GridScopedModel, phone_validator
from veterans.models import Veteran


class PartnerKind(models.TextChoices):
    CADRE = "cadre", _("干部")
    GRID_WORKER = "grid_worker", _("网格员")
    VOLUNTEER = "volunteer", _("志愿者")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class EndReason(models.TextChoices):
    PARTNER_LEFT = "partner_left", _("结对人调离")
    PERSON_DIED = "person_died", _("服务对象去世")
    PERSON_MOVED = "person_moved", _("服务对象迁出")
    NO_LONGER_NEEDED = "not_needed", _("困难已解决")
    OTHER = "other", _("其他")


class Pair(GridScopedModel):
    """A pair, placed in the person's grid so it is scoped (and moved on transfer) with them."""

    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="pairs", verbose_name=_("服务对象")
    )
    partner_kind = models.CharField(_("结对方类别"), max_length=12, choices=PartnerKind.choices)
    partner_name = models.CharField(_("结对人"), max_length=50)
    partner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairs",
        verbose_name=_("结对人账号"),
        help_text=_("结对人是本系统用户时选择，须负责该服务对象所在区域"),
    )
    partner_organisation = models.CharField(
        _("所在单位/企业"), max_length=100, blank=True, help_text=_("企业结对时填写企业名称")
    )
    contact_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    end_reason = models.CharField(_("解除原因"), max_length=12, choices=EndReason.choices, blank=True)
    active = models.BooleanField(_("结对中"), default=True, editable=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = user_reference(_("登记人"), null=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一对一结对")
        verbose_name_plural = _("一对一结对")
        ordering = ["-started_on", "-id"]
        indexes = [
            *GridScopedModel.scope_indexes("pair", "started_on"),
            models.Index(fields=["veteran", "active"], name="pair_veteran_active_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="pair_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(active=True, ended_on__isnull=True) | Q(active=False, ended_on__isnull=False),
                name="pair_active_means_not_ended",
            ),
            # One active pair per person and kind of partner: a second cadre replaces the first.
            models.UniqueConstraint(
                fields=["veteran", "partner_kind"], condition=Q(active=True), name="pair_one_active_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} — {self.partner_display}"

    @property
    def partner_display(self) -> str:
        if self.partner_organisation and self.partner_kind == PartnerKind.ENTERPRISE:
            return f"{self.partner_organisation}（{self.partner_name}）"
        return self.partner_name


class ContactWay(models.TextChoices):
    HOME_VISIT = "home_visit", _("入户走访")
    PHONE = "phone", _("电话联系")
    OTHER = "other", _("其他")


PAIR_SCOPE = {level: f"pair__{key}" for level, key in GridScopedModel.scope_lookups.items()}


class PairContact(models.Model):
    """A visit or call made by the pair (结对走访), dated within the pair's active period."""

    scope_lookups = PAIR_SCOPE
    personal_data = True

    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("结对"))
    contacted_on = models.DateField(_("走访日期"))
    way = models.CharField(_("方式"), max_length=12, choices=ContactWay.choices, default=ContactWay.HOME_VISIT)
    note = models.CharField(_("走访情况"), max_length=500, blank=True)
    recorded_by = user_reference(_("记录人"), null=False)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结对走访")
        verbose_name_plural = _("结对走访")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["pair", "contacted_on"], name="paircontact_pair_day_idx")]

    def __str__(self) -> str:
        return f"{self.pair.veteran} {self.contacted_on}"


class PairGift(models.Model):
    """What an enterprise (or any partner) gave the household: goods, money, a job."""

    scope_lookups = PAIR_SCOPE
    personal_data = True

    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="gifts", verbose_name=_("结对"))
    given_on = models.DateField(_("帮扶日期"))
    description = models.CharField(_("帮扶内容"), max_length=200)
    value = models.DecimalField(
        _("折合金额（元）"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recorded_by = user_reference(_("记录人"), null=False)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结对帮扶物资")
        verbose_name_plural = _("结对帮扶物资")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["pair", "given_on"], name="pairgift_pair_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="pairgift_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description


class CoveragePerson(Veteran):
    """The living people and whether they are paired: the list behind the coverage figures and the
    workbench's "key-group people without a pair" (the veteran ledger is veterans' own page)."""

    class Meta:
        proxy = True
        verbose_name = _("结对覆盖情况")
        verbose_name_plural = _("结对覆盖情况")
