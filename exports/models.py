"""Ledger exports made in the background: the requester follows a progress bar, gets a notice in
the inbox and downloads the file, which only they may fetch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class ExportJob(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("申请人")
    )
    ledger = models.CharField(_("台账"), max_length=40)
    title = models.CharField(_("名称"), max_length=100)
    model = models.CharField(_("数据表"), max_length=100)  # app_label.model_name of the query
    query = models.BinaryField(_("查询"))  # the pickled django Query the user had on screen
    # What the requester asked for besides the rows (e.g. {"unmasked": true}); the worker checks
    # again that they may have it.
    options = models.JSONField(_("导出选项"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("已写入"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="export_job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.status == JobStatus.DONE else (self.done * 100 // self.total if self.total else 0)
