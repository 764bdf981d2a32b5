"""Help that arrives: relief funds on an append-only ledger (cases, appeals and wishes follow)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import District, Street

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区/县级")
    STREET = "street", _("街道/镇级")


class ReliefFund(models.Model):
    """A relief fund (帮扶基金). Its balance is the sum of its ledger entries, kept on the row and
    changed only under a row lock by assistance.services, so it can never go below zero."""

    scope_lookups = {"district": "district_id", "street": "street_id"}

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=FundLevel.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道/镇")
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
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("财政拨款")
    DONATION = "donation", _("社会捐赠")
    PAYMENT = "payment", _("救助支出")
    REVERSAL = "reversal", _("冲正")


class DonorKind(models.TextChoices):
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("企业")
    ANONYMOUS = "anonymous", _("匿名")


class AppendOnlyError(Exception):
    pass


class FundEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("fund ledger entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("fund ledger entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("fund ledger entries cannot be changed")


class FundEntry(models.Model):
    """One line of a fund's ledger: money in (+) or out (−). Never edited or deleted; a mistake
    is corrected by a reversal entry that points at it."""

    fund = models.ForeignKey(ReliefFund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("基金"))
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    balance_after = models.DecimalField(_("发生后余额（元）"), **MONEY)
    donor_kind = models.CharField(_("捐赠方类型"), max_length=12, choices=DonorKind.choices, blank=True)
    donor_name = models.CharField(_("捐赠方"), max_length=100, blank=True)
    receipt_no = models.CharField(_("收据编号"), max_length=40, blank=True)
    reference = models.CharField(_("用途或依据"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("冲正的分录"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = FundEntryQuerySet.as_manager()

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
        return f"{self.fund} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("fund ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("fund ledger entries cannot be deleted")
