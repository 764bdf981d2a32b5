"""Appeals (诉求) under "四必回应": every appeal taken in, tracked to a resolution the veteran
rates, within a deadline set per category. Agency service (代办) is an appeal kind whose
category carries a checklist of documents."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import GridScopedModel


class AppealKind(models.TextChoices):
    """The four pledges of 四必回应, plus agency service."""

    QUESTION = "question", _("政策咨询（有问必答）")
    HARDSHIP = "hardship", _("困难求助（有难必访）")
    DISPUTE = "dispute", _("矛盾纠纷（有纷必调）")
    REQUEST = "request", _("意见诉求（有诉必接）")
    AGENCY = "agency", _("代办服务")


class AppealCategory(models.Model):
    """A category with its deadline in working days; data, so stations can add one."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AppealKind.choices)
    deadline_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), default=15, help_text=_("自受理之日起计算，节假日不计")
    )
    checklist = models.TextField(
        _("材料清单"), blank=True, help_text=_("代办服务所需材料，每行一项；受理时生成待收材料")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["kind", "name"]
        constraints = [models.CheckConstraint(condition=Q(deadline_days__gte=1), name="appeal_deadline_positive")]

    def __str__(self) -> str:
        return self.name

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class Channel(models.TextChoices):
    VISIT = "visit", _("走访发现")
    PHONE = "phone", _("来电")
    STATION = "station", _("来站")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上")


class AppealStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结待回访")
    CLOSED = "closed", _("已回访")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Appeal(GridScopedModel):
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("退役军人")
    )
    category = models.ForeignKey(
        AppealCategory, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("诉求类别")
    )
    channel = models.CharField(_("受理渠道"), max_length=10, choices=Channel.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源走访"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    subject = models.CharField(_("诉求事项"), max_length=100)
    content = models.TextField(_("诉求内容"))
    received_on = models.DateField(_("受理日期"))
    deadline = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.ACCEPTED)
    handler = user_reference(_("承办人"))
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    feedback = models.CharField(_("回访意见"), max_length=300, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    opened_by = user_reference(_("登记人"), null=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题诉求")
        verbose_name_plural = _("问题诉求")
        ordering = ["-received_on", "-id"]
        indexes = [
            *GridScopedModel.scope_indexes("appeal", "received_on"),
            # Open appeals by deadline: the overdue list and the daily reminder.
            models.Index(fields=["deadline"], condition=Q(status__in=OPEN_STATUSES), name="appeal_open_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("received_on")), name="appeal_deadline_after"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class NoteKind(models.TextChoices):
    ACCEPT = "accept", _("受理")
    ASSIGN = "assign", _("交办")
    PROGRESS = "progress", _("办理进展")
    DOCUMENT = "document", _("收到材料")
    RESOLVE = "resolve", _("办结")
    FEEDBACK = "feedback", _("回访")
    REOPEN = "reopen", _("重新办理")
    CANCEL = "cancel", _("撤销")


class AppealNote(models.Model):
    """The appeal's history: every step and every progress note, who and when."""

    scope_lookups = {level: f"appeal__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notes", verbose_name=_("诉求"))
    kind = models.CharField(_("类型"), max_length=10, choices=NoteKind.choices)
    text = models.CharField(_("内容"), max_length=1000)
    author = user_reference(_("记录人"), null=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["appeal", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class AppealDocument(models.Model):
    """One item of an agency appeal's checklist, ticked when the paper is in hand."""

    scope_lookups = {level: f"appeal__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents", verbose_name=_("诉求"))
    name = models.CharField(_("材料"), max_length=100)
    received_on = models.DateField(_("收到日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("代办材料")
        verbose_name_plural = _("代办材料")
        ordering = ["appeal", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "name"], name="appeal_document_once")]

    def __str__(self) -> str:
        return self.name
