"""Conflicts of the phone's offline changes (offline.services): what could not be written."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto.fields import EncryptedCharField
from core.fields import user_reference
from grids.models import GridScopedModel
from veterans.models import Veteran


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    KEPT = "kept", _("保留现有值")
    TAKEN = "taken", _("采用提交的值")


class FieldConflict(GridScopedModel):
    """A change made on a phone without signal to a field that someone else had changed on the
    server since the phone took the file: not written over, kept here with both values until
    the station or the worker chooses (offline.services)."""

    veteran = models.ForeignKey(
        Veteran, on_delete=models.CASCADE, related_name="field_conflicts", verbose_name=_("服务对象")
    )
    field = models.CharField(_("字段"), max_length=50)
    base_version = models.BigIntegerField(_("手机所据版本"))
    server_value = EncryptedCharField(_("现有值"), max_length=500, blank=True)
    submitted_value = EncryptedCharField(_("提交的值"), max_length=500, blank=True)
    submitted_by = user_reference(_("提交人"), null=False)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    resolved_by = user_reference(_("处理人"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息冲突")
        verbose_name_plural = _("信息冲突")
        ordering = ["-submitted_at", "-id"]
        indexes = [*GridScopedModel.scope_indexes("conflict", "submitted_at")]

    def __str__(self) -> str:
        return f"{self.veteran.name}：{self.field_label}"

    @property
    def field_label(self) -> str:
        return str(Veteran._meta.get_field(self.field).verbose_name)
