"""Files that move (迁入迁出): one transfer of one person's file from a grid to another.

A transfer lies in two places at once, the sending side (from_*) and the receiving side (to_*):
both must see it. `scope_queryset` filters one set of keys per model, so each side is a proxy
with its own `scope_lookups`; transfers.selectors ORs the two.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import AreaLevel, Community, District, Grid, Street


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已退回")


class Transfer(models.Model):
    personal_data = True
    # The sending side's keys; the receiving side is TransferToSide (a proxy).
    scope_lookups = {
        AreaLevel.DISTRICT: "from_district_id",
        AreaLevel.STREET: "from_street_id",
        AreaLevel.COMMUNITY: "from_community_id",
        AreaLevel.GRID: "from_grid_id",
    }

    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("退役军人")
    )
    status = models.CharField(_("状态"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    reason = models.CharField(_("迁移原因"), max_length=200)
    from_district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出区/县"), db_index=False
    )
    from_street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出街道/镇"), db_index=False
    )
    from_community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出社区/村"), db_index=False
    )
    from_grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出网格"), db_index=False
    )
    to_district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入区/县"), db_index=False
    )
    to_street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入街道/镇"), db_index=False
    )
    to_community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入社区/村"), db_index=False
    )
    to_grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入网格"))
    started_by = user_reference(_("发起人"))
    started_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    decided_by = user_reference(_("接收方经办人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("迁入迁出")
        verbose_name_plural = _("迁入迁出")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["from_district", "started_at"], name="transfer_from_district_idx"),
            models.Index(fields=["from_street", "started_at"], name="transfer_from_street_idx"),
            models.Index(fields=["from_community", "started_at"], name="transfer_from_community_idx"),
            models.Index(fields=["from_grid", "started_at"], name="transfer_from_grid_idx"),
            models.Index(fields=["to_district", "started_at"], name="transfer_to_district_idx"),
            models.Index(fields=["to_street", "started_at"], name="transfer_to_street_idx"),
            models.Index(fields=["to_community", "started_at"], name="transfer_to_community_idx"),
        ]
        constraints = [
            # At most one open transfer per person (the service says why; this holds under races).
            models.UniqueConstraint(
                fields=["veteran"], condition=Q(status="pending"), name="transfer_one_pending_per_veteran"
            ),
            models.CheckConstraint(condition=~Q(from_grid=models.F("to_grid")), name="transfer_changes_grid"),
        ]

    def __str__(self) -> str:
        return f"{self.veteran.name}：{self.from_grid} → {self.to_grid}"

    def place_from(self, grid: Grid) -> None:
        self.from_grid = grid
        self.from_community_id = grid.community_id
        self.from_street_id = grid.street_id
        self.from_district_id = grid.district_id

    def place_to(self, grid: Grid) -> None:
        self.to_grid = grid
        self.to_community_id = grid.community_id
        self.to_street_id = grid.street_id
        self.to_district_id = grid.district_id


class TransferToSide(Transfer):
    """The same rows, scoped by the receiving side's keys."""

    scope_lookups = {
        AreaLevel.DISTRICT: "to_district_id",
        AreaLevel.STREET: "to_street_id",
        AreaLevel.COMMUNITY: "to_community_id",
        AreaLevel.GRID: "to_grid_id",
    }

    class Meta:
        proxy = True
        default_permissions = ()
