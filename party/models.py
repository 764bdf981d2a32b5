"""Party organisations (党组织) and the veteran party members under them.

The relation itself (in place / pocket / mobile) stays on `veterans.Veteran.party_relation`, the
one truth, changed only through veterans.services so that its change history is written. This
app keeps what surrounds it: the organisations, who belongs to which, the follow-up that brings a
pocket or mobile member under one (口袋党员、流动党员纳入组织管理), and 三会一课 attendance."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import GridScopedModel
from veterans.models import Veteran


def _through(prefix: str) -> dict[str, str]:
    """Scope lookups of a row that lies where the row at `prefix` lies."""
    return {level: f"{prefix}__{key}" for level, key in GridScopedModel.scope_lookups.items()}


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class PartyOrganisation(models.Model):
    """A party organisation of a district: of a street, community or grid (the deepest key set
    says which), or of an employer (named, in the district). Not about a person."""

    scope_lookups = dict(GridScopedModel.scope_lookups)  # the same keys, some of them empty
    personal_data = False

    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("组织类型"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级组织")
    )
    district = models.ForeignKey("grids.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        "grids.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道/镇")
    )
    community = models.ForeignKey(
        "grids.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("社区/村")
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("网格")
    )
    employer = models.CharField(_("所在单位"), max_length=100, blank=True, help_text=_("单位党组织填写单位名称"))
    secretary_name = models.CharField(_("书记"), max_length=50, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["district", "street", "community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="party_org_name_unique",
                violation_error_message=_("本区已有同名党组织。"),
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="party_org_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self):
        return self.grid or self.community or self.street or self.district


class Membership(models.Model):
    """A member under an organisation from `joined_on`; `left_on` set when they leave it. One
    active membership per person."""

    scope_lookups = _through("person")
    personal_data = True

    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="party_memberships", verbose_name=_("党员")
    )
    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("党组织")
    )
    joined_on = models.DateField(_("转入日期"))
    left_on = models.DateField(_("转出日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员组织隶属")
        verbose_name_plural = _("党员组织隶属")
        ordering = ["-joined_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="party_one_active_membership"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="party_left_after_joined"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("跟进中")
    CLOSED = "closed", _("已纳入组织")


class FollowUp(GridScopedModel):
    """Bringing one pocket or mobile member under an organisation: assigned to a worker, steps
    with dates, closed when a membership is in place and the relation set to 组织关系已转入."""

    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="party_followups", verbose_name=_("党员")
    )
    relation_at_opening = models.CharField(_("开始时组织关系"), max_length=10)
    assigned_to = user_reference(_("责任人"))
    opened_on = models.DateField(_("开始日期"))
    status = models.CharField(_("状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    closed_on = models.DateField(_("纳入日期"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("纳入组织")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织关系跟进")
        verbose_name_plural = _("组织关系跟进")
        ordering = ["-opened_on", "-id"]
        indexes = GridScopedModel.scope_indexes("party_fu", "opened_on")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="party_one_open_followup"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__gte=F("opened_on"), membership__isnull=False),
                name="party_followup_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN


class StepKind(models.TextChoices):
    CONTACT = "contact", _("联系本人")
    DOCUMENTS = "documents", _("收集材料")
    TRANSFER = "transfer", _("转接组织关系")
    OTHER = "other", _("其他")


class FollowUpStep(models.Model):
    scope_lookups = _through("follow_up")
    personal_data = True

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="steps", verbose_name=_("跟进"))
    on = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=StepKind.choices)
    note = models.CharField(_("情况"), max_length=500)
    recorded_by = user_reference(_("记录人"))  # none for a step a program took (grids.scoping.SYSTEM)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["follow_up", "on", "id"]

    def __str__(self) -> str:
        return self.note[:30]


class LifeKind(models.TextChoices):
    """三会一课, the theme day and training."""

    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    TRAINING = "training", _("培训")


class OrganisationLife(models.Model):
    """One meeting, lecture or training of an organisation (组织生活)."""

    scope_lookups = {level: f"organisation__{key}" for level, key in PartyOrganisation.scope_lookups.items()}
    personal_data = False

    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.PROTECT, related_name="life", verbose_name=_("党组织")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=LifeKind.choices)
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    EXCUSED = "excused", _("请假")


class Attendance(models.Model):
    """A member's attendance of one life record, scoped by where the member lives."""

    scope_lookups = _through("person")
    personal_data = True

    life = models.ForeignKey(
        OrganisationLife, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("组织生活")
    )
    person = models.ForeignKey(
        Veteran, on_delete=models.PROTECT, related_name="party_attendance", verbose_name=_("党员")
    )
    status = models.CharField(
        _("出席情况"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT
    )

    class Meta:
        verbose_name = _("参加情况")
        verbose_name_plural = _("参加情况")
        ordering = ["life", "person__name"]
        constraints = [models.UniqueConstraint(fields=["life", "person"], name="party_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"


class PartyMember(Veteran):
    """The party members among the files, as this app lists them (党员台账): the same rows,
    read-only here; the file is edited in veterans."""

    class Meta:
        proxy = True
        verbose_name = _("退役军人党员")
        verbose_name_plural = _("退役军人党员")
