"""Likely duplicate files and what merging them moved. Merge state lives here, not on Veteran:
a pair remembers every row it re-pointed so an undo can put exactly those rows back."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from veterans.models import Veteran


class PairStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("不是同一人")
    UNDONE = "undone", _("已撤销合并")


class MatchReason(models.TextChoices):
    NAME_BIRTH = "name_birth", _("姓名和出生日期相同")
    PINYIN_ID = "pinyin_id", _("姓名拼音相同且身份证号相近")
    PHONE = "phone", _("联系电话相同")


class DuplicatePair(models.Model):
    # related_name="+": a pair is no row of the person's, so merging never re-points it.
    first = models.ForeignKey(Veteran, on_delete=models.PROTECT, related_name="+", verbose_name=_("档案一"))
    second = models.ForeignKey(Veteran, on_delete=models.PROTECT, related_name="+", verbose_name=_("档案二"))
    reasons = models.JSONField(_("疑似原因"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    survivor = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("保留档案")
    )
    decided_by = user_reference(_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.CharField(_("处理原因"), max_length=200, blank=True)
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)
    # {"app.Model.field": [pk, ...]}: the rows re-pointed from the absorbed file to the survivor.
    moved = models.JSONField(_("转移的记录"), default=dict, blank=True)
    # Rows left on the absorbed file because the survivor already had one of the same kind
    # (a unique constraint); their values, for the reviewer: [{"model": ..., "pk": ..., "values": {...}}].
    kept_apart = models.JSONField(_("未转移的冲突记录"), default=list, blank=True)

    class Meta:
        verbose_name = _("疑似重复档案")
        verbose_name_plural = _("疑似重复档案")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "id"], name="duplicate_pair_status_idx")]

    def __str__(self) -> str:
        return f"{self.first_id} / {self.second_id}"

    @property
    def absorbed_id(self) -> int | None:
        if self.survivor_id is None:
            return None
        return self.second_id if self.survivor_id == self.first_id else self.first_id
