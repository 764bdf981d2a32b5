"""Skills training for veterans (技能培训), part of the employment and training real-name registry:
courses run by providers, who enrolled, who came each day, and the certificate they earned.

Providers and courses are a district's catalogue: everyone working in the district sees them
(a street station enrols its people in the district's courses). Enrolments and attendance are
about people: they live in the person's grid and are scoped like every personal record."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import user_reference
from grids.models import AreaLevel, District, GridScopedModel, Street

# The district's catalogue, seen from every level inside it (through the district's streets).
DISTRICT_CATALOGUE_LOOKUPS = {
    AreaLevel.DISTRICT: "district_id",
    AreaLevel.STREET: "district__streets__id",
    AreaLevel.COMMUNITY: "district__streets__communities__id",
    AreaLevel.GRID: "district__streets__communities__grids__id",
}


class ProviderKind(models.TextChoices):
    VOCATIONAL_SCHOOL = "school", _("职业院校")
    ENTERPRISE = "enterprise", _("企业")
    GOVERNMENT_CENTRE = "government", _("政府培训中心")


class TrainingProvider(models.Model):
    scope_lookups = DISTRICT_CATALOGUE_LOOKUPS
    personal_data = False

    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类型"), max_length=12, choices=ProviderKind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("合作中"), default=True)

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="training_provider_name_unique")]

    def __str__(self) -> str:
        return self.name


class CourseStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名结束")
    FINISHED = "finished", _("已结业")
    CANCELLED = "cancelled", _("已取消")


class Course(models.Model):
    """A course of a district, or of one street of it (then only that street's people enrol)."""

    scope_lookups = DISTRICT_CATALOGUE_LOOKUPS
    personal_data = False

    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="courses", verbose_name=_("培训机构")
    )
    title = models.CharField(_("培训项目"), max_length=100)
    trade = models.CharField(_("工种/技能"), max_length=50)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区/县"))
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("街道/镇"),
        help_text=_("只面向一个街道/镇时选择；不选则面向全区/县"),
    )
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    enrol_deadline = models.DateField(_("报名截止日期"))
    places = models.PositiveIntegerField(_("名额"))
    certificate_name = models.CharField(
        _("证书名称"), max_length=100, blank=True, help_text=_("结业可取得的证书，如“电工职业资格证书（五级）”")
    )
    status = models.CharField(_("状态"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.OPEN)
    created_by = user_reference(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["district", "starts_on"], name="training_course_district_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_course_ends_after_start",
                violation_error_message=_("结业日期不能早于开班日期。"),
            ),
            models.CheckConstraint(
                condition=Q(enrol_deadline__lte=F("ends_on")),
                name="training_course_deadline_before_end",
                violation_error_message=_("报名截止日期不能晚于结业日期。"),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="training_course_places_positive",
                violation_error_message=_("名额至少为1人。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.starts_on:%Y-%m-%d}）"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    COMPLETED = "completed", _("已结业")
    DROPPED = "dropped", _("已退出")


# Enrolments that hold a place and count as having taken part.
TAKING_PART = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class Enrolment(GridScopedModel):
    """One person on one course, placed in the person's grid so that scope works."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("培训课程"))
    veteran = models.ForeignKey(
        "veterans.Veteran", on_delete=models.PROTECT, related_name="training_enrolments", verbose_name=_("退役军人")
    )
    enrolled_on = models.DateField(_("报名日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=50, blank=True)
    certificate_on = models.DateField(_("发证日期"), null=True, blank=True)
    dropped_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    enrolled_by = user_reference(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["-enrolled_on", "-id"]
        indexes = [
            *GridScopedModel.scope_indexes("trainenrol", "enrolled_on"),
            models.Index(fields=["course", "status"], name="training_enrol_course_idx"),
            models.Index(fields=["veteran", "enrolled_on"], name="training_enrol_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "veteran"],
                name="training_enrolment_once",
                violation_error_message=_("该退役军人已报名这个培训。"),
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="", certificate_on__isnull=True)
                | (~Q(certificate_number="") & Q(certificate_on__isnull=False)),
                name="training_certificate_number_and_date",
                violation_error_message=_("证书编号和发证日期须同时填写。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.veteran} {self.course.title}"

    @property
    def certified(self) -> bool:
        return bool(self.certificate_number)


class Attendance(models.Model):
    """Whether the person came on one day of the course (recorded once per day; corrected in place)."""

    scope_lookups = {level: f"enrolment__{key}" for level, key in GridScopedModel.scope_lookups.items()}
    personal_data = True

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("培训报名")
    )
    day = models.DateField(_("日期"))
    present = models.BooleanField(_("出勤"), default=True)
    recorded_by = user_reference(_("记录人"))

    class Meta:
        verbose_name = _("出勤记录")
        verbose_name_plural = _("出勤记录")
        ordering = ["enrolment", "day"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"
