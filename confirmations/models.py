"""Annual confirmation (年度确认) of the recipients of regular subsidies (定期补助).

Each year and district a round opens with a deadline (default 6/30). Every recipient alive and
on file gets one confirmation row, confirmed by a visit of this year (linked) or in person at
the station. Whoever is still pending after the deadline has the subsidy suspended, once; a
confirmation resumes it. Spot checks (抽查) confirm a share of the confirmed ones a second time,
by somebody else; a failed spot check suspends as well. The suspension lives here, not on the
veteran's file: the subsidy's state is this app's business."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import District, GridScopedModel

DEFAULT_DEADLINE = (6, 30)


def default_deadline(year: int) -> datetime.date:
    return datetime.date(year, *DEFAULT_DEADLINE)


class ConfirmationRound(models.Model):
    """One year's confirmation in one district."""

    scope_lookups = {"district": "district_id"}
    personal_data = False

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    year = models.PositiveSmallIntegerField(_("年度"))
    deadline = models.DateField(_("确认截止日期"))
    opened_by = user_reference(_("开启人"))
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度确认批次")
        verbose_name_plural = _("年度确认批次")
        ordering = ["-year", "district_id"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="confirmation_round_once")]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


class ConfirmationMethod(models.TextChoices):
    VISIT = "visit", _("走访确认")
    IN_PERSON = "in_person", _("来站确认")


class Confirmation(GridScopedModel):
    """One person's confirmation in one year. Overdue is not stored: pending past the deadline."""

    round = models.ForeignKey(
        ConfirmationRound, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("批次")
    )
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="+", verbose_name=_("优抚对象")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING
    )
    method = models.CharField(_("确认方式"), max_length=10, choices=ConfirmationMethod.choices, blank=True)
    confirmed_by = user_reference(_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认走访"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("年度确认")
        verbose_name_plural = _("年度确认")
        ordering = ["-year", "id"]
        permissions = [("confirm_confirmation", _("可办理年度确认")), ("open_confirmationround", _("可开启年度确认"))]
        indexes = [*GridScopedModel.scope_indexes("confirm", "year")]
        constraints = [
            models.UniqueConstraint(fields=["veteran", "year"], name="confirmation_once_a_year"),
            models.CheckConstraint(
                condition=Q(status="pending", confirmed_at__isnull=True, method="")
                | Q(status="confirmed", confirmed_at__isnull=False, method__in=["visit", "in_person"]),
                name="confirmation_confirmed_has_how",
            ),
            models.CheckConstraint(condition=Q(visit__isnull=True) | Q(method="visit"), name="confirmation_visit_link"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} {self.year}"

    def is_overdue(self, day: datetime.date) -> bool:
        return self.status == ConfirmationStatus.PENDING and day > self.round.deadline


class SuspensionReason(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("逾期未确认")
    SPOT_CHECK = "spot_check", _("抽查未通过")


class SubsidySuspension(GridScopedModel):
    """The regular subsidy stopped for one year's confirmation, and when it resumed."""

    confirmation = models.ForeignKey(
        Confirmation, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("年度确认")
    )
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="+", verbose_name=_("优抚对象")
    )
    reason = models.CharField(_("暂停原因"), max_length=12, choices=SuspensionReason.choices)
    suspended_on = models.DateField(_("暂停日期"))
    resumed_on = models.DateField(_("恢复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期补助暂停")
        verbose_name_plural = _("定期补助暂停")
        ordering = ["-suspended_on", "-id"]
        indexes = [*GridScopedModel.scope_indexes("suspend", "suspended_on")]
        constraints = [
            # Once per confirmation and reason: the daily job can run twice and suspend once.
            models.UniqueConstraint(fields=["confirmation", "reason"], name="suspension_once"),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=models.F("suspended_on")),
                name="suspension_resumed_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} {self.get_reason_display()}"


class SpotCheckStatus(models.TextChoices):
    PENDING = "pending", _("待抽查")
    CONFIRMED = "confirmed", _("抽查通过")
    FAILED = "failed", _("抽查未通过")


class SpotCheck(GridScopedModel):
    """A second confirmation (抽查) of a confirmed person, by someone other than the first."""

    confirmation = models.OneToOneField(
        Confirmation, on_delete=models.PROTECT, related_name="spot_check", verbose_name=_("年度确认")
    )
    status = models.CharField(
        _("结果"), max_length=10, choices=SpotCheckStatus.choices, default=SpotCheckStatus.PENDING
    )
    checked_by = user_reference(_("抽查人"))
    checked_at = models.DateTimeField(_("抽查时间"), null=True, blank=True)
    reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度确认抽查")
        verbose_name_plural = _("年度确认抽查")
        ordering = ["-created_at", "-id"]
        indexes = [*GridScopedModel.scope_indexes("spotchk", "id")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(reason=""), name="spot_check_failed_has_reason"),
        ]

    def __str__(self) -> str:
        return str(self.confirmation)
