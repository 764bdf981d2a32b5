"""Service projects under Pinghu's "1555": a three-level service catalogue, needs found on visits
and appeals, a project proposed for them, reviewed by the station or the bureau, delivered (who,
when, for whom, what it cost) and rated by each person served (1–5).

Needs, deliveries and evaluations are about one person and live in that person's grid; a project
serves one or more people and keeps the smallest area that holds them all (a grid, community,
street or the whole district), so a project for two villages is the town's.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from core.numbers import MONEY
from grids.models import AreaLevel, GridScopedModel
from veterans.models import Veteran


class ServiceLevel(models.TextChoices):
    """The three levels of Pinghu's catalogue (884 items)."""

    COUNTY = "county", _("区县级")
    TOWN = "town", _("镇街级")
    VILLAGE = "village", _("村社级")


class ServiceCategory(models.TextChoices):
    POLICY = "policy", _("政策咨询")
    CARE = "care", _("优抚帮扶")
    EMPLOYMENT = "employment", _("就业创业")
    HEALTH = "health", _("医疗健康")
    DAILY_LIFE = "daily_life", _("生活照料")
    LEGAL = "legal", _("法律服务")
    CULTURE = "culture", _("文化关爱")
    OTHER = "other", _("其他")


class ServiceItem(models.Model):
    """One entry of the catalogue: policy data shared by the whole deployment, not scoped."""

    name = models.CharField(_("服务事项"), max_length=100)
    level = models.CharField(_("服务层级"), max_length=10, choices=ServiceLevel.choices)
    category = models.CharField(_("服务类别"), max_length=12, choices=ServiceCategory.choices)
    description = models.TextField(_("服务内容"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务清单事项")
        verbose_name_plural = _("服务清单")
        ordering = ["level", "category", "name"]
        constraints = [models.UniqueConstraint(fields=["level", "name"], name="service_item_once_per_level")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class NeedSource(models.TextChoices):
    VISIT = "visit", _("走访发现")
    APPEAL = "appeal", _("诉求转入")
    STATION = "station", _("来站登记")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    DELIVERED = "delivered", _("已交付待评价")
    EVALUATED = "evaluated", _("已评价")


DONE_STATUSES = (ProjectStatus.DELIVERED, ProjectStatus.EVALUATED)


class ServiceProject(models.Model):
    """A proposal for one or more people (and the needs it answers), through review to delivery
    and the evaluation of everyone served. Its area keys are those of the smallest area holding
    all its people: below that level they are empty."""

    scope_lookups = {
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.STREET: "street_id",
        AreaLevel.COMMUNITY: "community_id",
        AreaLevel.GRID: "grid_id",
    }
    personal_data = True

    title = models.CharField(_("项目名称"), max_length=100)
    item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("服务事项"),
    )
    description = models.TextField(_("服务内容"), blank=True)
    people = models.ManyToManyField(Veteran, related_name="service_projects", verbose_name=_("服务对象"))
    district = models.ForeignKey("grids.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        "grids.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道/镇")
    )
    community = models.ForeignKey(
        "grids.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区/村"),
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("网格")
    )
    status = models.CharField(_("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED)
    proposer = user_reference(_("立项人"), null=False)
    proposed_on = models.DateField(_("立项日期"))
    reviewer = user_reference(_("审核人"))
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    delivered_on = models.DateField(_("交付日期"), null=True, blank=True)
    delivered_by = models.CharField(_("服务提供者"), max_length=100, blank=True)
    cost = models.DecimalField(_("服务费用（元）"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["-proposed_on", "-id"]
        permissions = [
            ("review_serviceproject", _("审核服务项目")),
            ("deliver_serviceproject", _("登记服务项目交付")),
        ]
        indexes = [
            models.Index(fields=["district", "proposed_on"], name="service_project_dist_idx"),
            models.Index(fields=["street", "proposed_on"], name="service_project_street_idx"),
            models.Index(fields=["community", "proposed_on"], name="service_project_comm_idx"),
            models.Index(fields=["grid", "proposed_on"], name="service_project_grid_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="service_project_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=models.F("proposed_on")),
                name="service_project_reviewed_after_proposed",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(delivered_on__gte=models.F("reviewed_on")),
                name="service_project_delivered_after_review",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ServiceNeed(GridScopedModel):
    """A need of one person, found on a visit, brought by an appeal or at the station; answered
    when a project that holds it is delivered."""

    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="service_need_records", verbose_name=_("服务对象")
    )
    item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("对应服务事项"),
    )
    description = models.CharField(_("需求内容"), max_length=300)
    source = models.CharField(_("需求来源"), max_length=10, choices=NeedSource.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源走访"),
        db_constraint=False,  # visits are partitioned by month on PostgreSQL (core.db.partitions)
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源诉求"),
    )
    recorded_on = models.DateField(_("登记日期"))
    project = models.ForeignKey(
        ServiceProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("服务项目"),
    )
    recorded_by = user_reference(_("登记人"), null=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")
        ordering = ["-recorded_on", "-id"]
        indexes = GridScopedModel.scope_indexes("svc_need", "recorded_on")

    def __str__(self) -> str:
        return f"{self.person} {self.description[:20]}"


class ServiceDelivery(GridScopedModel):
    """A project delivered to one person, in that person's grid at the time. `days_taken` counts
    from the person's need (or, without one, the approval) to delivery: the timeliness figure."""

    project = models.ForeignKey(
        ServiceProject, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("服务项目")
    )
    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="service_deliveries", verbose_name=_("服务对象")
    )
    delivered_on = models.DateField(_("交付日期"))
    days_taken = models.PositiveIntegerField(_("办理天数"))

    class Meta:
        verbose_name = _("服务交付")
        verbose_name_plural = _("服务交付")
        ordering = ["-delivered_on", "-id"]
        indexes = GridScopedModel.scope_indexes("svc_deliv", "delivered_on")
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="service_delivery_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.project}"


class ServiceEvaluation(GridScopedModel):
    """The served person's rating of one delivery (满意度 1–5), in the person's grid."""

    delivery = models.OneToOneField(
        ServiceDelivery, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("服务交付")
    )
    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="service_evaluations", verbose_name=_("服务对象")
    )
    satisfaction = models.PositiveSmallIntegerField(_("满意度（1–5）"))
    comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    evaluated_on = models.DateField(_("评价日期"))
    recorded_by = user_reference(_("记录人"), null=False)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-evaluated_on", "-id"]
        indexes = GridScopedModel.scope_indexes("svc_eval", "evaluated_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="service_evaluation_satisfaction_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.satisfaction}"


class ServedPerson(Veteran):
    """The people served, as a list of their own: what the dashboard's 服务覆盖 number links to
    (one row per person, however many services they had)."""

    class Meta:
        proxy = True
        verbose_name = _("服务对象")
        verbose_name_plural = _("服务对象")
