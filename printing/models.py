"""A batch print: the archive cards of a grid's or a community's people in one PDF, built in
the background when it is long, followed on a page with a progress bar and downloaded by the
person who asked for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("已过期清除")


class BatchLevel(models.TextChoices):
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")


class PrintBatch(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("申请人")
    )
    level = models.CharField(_("区域层级"), max_length=10, choices=BatchLevel.choices)
    area_id = models.PositiveIntegerField(_("区域"))
    area_name = models.CharField(_("区域名称"), max_length=100)
    full_numbers = models.BooleanField(_("完整号码"), default=False)
    in_background = models.BooleanField(_("后台生成"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成人数"), default=0)
    total = models.PositiveIntegerField(_("总人数"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    # Holds people's records: served only to the requester, removed after PRINT_BATCH_KEEP_HOURS.
    file = models.FileField(_("文件"), upload_to="prints/%Y/%m/", blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量打印")
        verbose_name_plural = _("批量打印")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="print_batch_owner_idx")]

    def __str__(self) -> str:
        return f"{self.area_name}（{self.total}）"

    @property
    def percent(self) -> int:
        return 100 if self.status == BatchStatus.DONE else (100 * self.done // self.total if self.total else 0)
