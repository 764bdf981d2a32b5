"""Per-grid per-day snapshots of the ledger figures: what trends and history read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.numbers import MONEY
from grids.models import GridScopedModel


class GridSnapshot(GridScopedModel):
    """The figures of one grid at the end of one day, stored by the nightly job."""

    day = models.DateField(_("日期"))
    # The state at the end of the day (as the live board counts it) ...
    veterans = models.PositiveIntegerField(_("服务对象"), default=0)
    priority_total = models.PositiveIntegerField(_("重点优抚对象"), default=0)
    age_80_plus = models.PositiveIntegerField(_("80岁及以上"), default=0)
    hardship = models.PositiveIntegerField(_("特别困难"), default=0)
    major_contribution = models.PositiveIntegerField(_("重大贡献"), default=0)
    merit_awards = models.PositiveIntegerField(_("立功受奖"), default=0)
    party_members = models.PositiveIntegerField(_("党员"), default=0)
    party_pocket = models.PositiveIntegerField(_("口袋党员"), default=0)
    party_mobile = models.PositiveIntegerField(_("流动党员"), default=0)
    complete = models.PositiveIntegerField(_("档案完整"), default=0)
    completeness_sum = models.PositiveIntegerField(_("完整度合计"), default=0)
    plaques = models.PositiveIntegerField(_("光荣牌"), default=0)
    overdue = models.PositiveIntegerField(_("逾期未访"), default=0)
    covered = models.PositiveIntegerField(_("按期走访"), default=0)
    cases_open = models.PositiveIntegerField(_("在办救助"), default=0)
    cases_overdue = models.PositiveIntegerField(_("超期救助"), default=0)
    appeals_open = models.PositiveIntegerField(_("在办诉求"), default=0)
    appeals_overdue = models.PositiveIntegerField(_("超期诉求"), default=0)
    wishes = models.PositiveIntegerField(_("微心愿"), default=0)
    wishes_fulfilled = models.PositiveIntegerField(_("已实现微心愿"), default=0)
    # People by kind (veterans.models.PersonKind); they add up to `veterans`.
    kind_veteran = models.PositiveIntegerField(_("退役军人"), default=0)
    kind_martyr_survivor = models.PositiveIntegerField(_("烈士遗属"), default=0)
    kind_died_on_duty_survivor = models.PositiveIntegerField(_("因公牺牲军人遗属"), default=0)
    kind_died_of_illness_survivor = models.PositiveIntegerField(_("病故军人遗属"), default=0)
    kind_serving_family = models.PositiveIntegerField(_("现役军人家属"), default=0)
    kind_other_entitled = models.PositiveIntegerField(_("其他优抚对象"), default=0)
    # ... and what happened during the day.
    visits = models.PositiveIntegerField(_("当日走访"), default=0)
    paid_cases = models.PositiveIntegerField(_("当日发放件数"), default=0)
    paid_amount = models.DecimalField(_("当日发放金额"), default=0, **MONEY)
    days_to_payment_sum = models.PositiveIntegerField(_("当日发放的获知到发放天数合计"), default=0)
    # The help apps' figures at the end of the day (core.board_figures), by figure name.
    extra = models.JSONField(_("其他业务统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("网格日统计快照")
        verbose_name_plural = _("网格日统计快照")
        permissions = [("view_dashboard", _("可查看数据看板"))]
        constraints = [models.UniqueConstraint(fields=["grid", "day"], name="snapshot_grid_day_unique")]
        # Trends read an area's days: (area, day) at each level; (grid, day) is the unique key.
        indexes = GridScopedModel.scope_indexes("snap", "day")[:3]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.day}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class StatisticsExport(models.Model):
    """A dashboard table written to .xlsx in the background (every grid of a district can take a
    while); the requester follows its progress and downloads it."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("申请人")
    )
    level = models.CharField(_("区域层级"), max_length=10)
    area_id = models.PositiveIntegerField(_("区域"))
    rows_level = models.CharField(_("明细层级"), max_length=10)
    status = models.CharField(_("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计导出")
        verbose_name_plural = _("统计导出")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.level}:{self.area_id}→{self.rows_level}"
