"""One person, one file (一人一档): the veteran record and the rows that hang from it."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto.cipher import id_number_hash, phone_hash
from core.crypto.fields import EncryptedCharField
from core.dates import MonthDate
from core.fields import user_reference
from grids.models import GridScopedModel, StaffProfile, phone_validator

ETHNICITIES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class LifeStatus(models.TextChoices):
    ALIVE = "alive", _("健在")
    DECEASED = "deceased", _("已故")
    MOVED_OUT = "moved_out", _("已迁出")


class PersonKind(models.TextChoices):
    """Who a file is for: the bureau serves veterans and the other entitled persons (优抚对象)."""

    VETERAN = "veteran", _("退役军人")
    MARTYR_SURVIVOR = "martyr_survivor", _("烈士遗属")
    DIED_ON_DUTY_SURVIVOR = "died_on_duty_survivor", _("因公牺牲军人遗属")
    DIED_OF_ILLNESS_SURVIVOR = "died_of_illness_survivor", _("病故军人遗属")
    SERVING_FAMILY = "serving_family", _("现役军人家属")
    OTHER_ENTITLED = "other_entitled", _("其他优抚对象")


# Service history: a veteran's alone.
VETERAN_ONLY_FIELDS = ("veteran_type", "branch", "enlistment_date", "discharge_date")


class VeteranType(models.TextChoices):
    DISCHARGED_SOLDIER = "discharged_soldier", _("退役士兵")
    TRANSFERRED_OFFICER = "transferred_officer", _("军转干部")
    RETIRED_CADRE = "retired_cadre", _("军队离退休干部")
    RETIRED_NCO = "retired_nco", _("退休士官")
    DEMOBILISED = "demobilised", _("复员军人")


class Branch(models.TextChoices):
    ARMY = "army", _("陆军")
    NAVY = "navy", _("海军")
    AIR_FORCE = "air_force", _("空军")
    ROCKET_FORCE = "rocket_force", _("火箭军")
    STRATEGIC_SUPPORT = "strategic_support", _("战略支援部队")
    ARMED_POLICE = "armed_police", _("武警部队")
    LOGISTICS = "logistics", _("联勤保障部队")
    OTHER = "other", _("其他")


class PriorityCategory(models.TextChoices):
    DISABLED = "disabled", _("残疾军人")
    MARTYR_FAMILY = "martyr_family", _("烈士遗属")
    DIED_ON_DUTY_FAMILY = "died_on_duty_family", _("因公牺牲军人遗属")
    DIED_OF_ILLNESS_FAMILY = "died_of_illness_family", _("病故军人遗属")
    IN_VILLAGE_DEMOBILISED = "in_village_demobilised", _("在乡复员军人")
    RETURNED_ILL = "returned_ill", _("带病回乡退伍军人")
    WAR_OR_NUCLEAR_TEST = "war_or_nuclear_test", _("参战参试人员")
    KOREAN_WAR = "korean_war", _("抗美援朝老兵")


class PartyRelation(models.TextChoices):
    IN_PLACE = "in_place", _("组织关系已转入")
    POCKET = "pocket", _("口袋党员")
    MOBILE = "mobile", _("流动党员")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    UNEMPLOYED = "unemployed", _("失业")
    JOB_SEEKING = "job_seeking", _("求职中")
    RETIRED = "retired", _("退休")


class MedicalInsurance(models.TextChoices):
    EMPLOYEE = "employee", _("城镇职工医保")
    RESIDENT = "resident", _("城乡居民医保")
    MILITARY = "military", _("军人保障")
    NONE = "none", _("未参保")


class Veteran(GridScopedModel):
    """The file of one person the bureau serves (a veteran, or a survivor, a serving soldier's
    family or another entitled person: `person_kind`). Named for the veterans who are most of
    them. Written only through veterans.services."""

    # Keyed-hash column → (encrypted column it is computed from, how); kept by derive_fields and
    # recomputed by `rotate_field_keys`.
    sealed_hashes = {"id_number_hash": ("id_number", id_number_hash), "phone_hash": ("phone", phone_hash)}

    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, editable=False)
    name_initials = models.CharField(_("姓名首字母"), max_length=50, blank=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=10, choices=[(e, e) for e in ETHNICITIES], blank=True)
    # Encrypted at rest; found by its keyed hash. The last four characters stay in the clear:
    # search by tail and the masked display need nothing more.
    id_number = EncryptedCharField(_("公民身份号码"), max_length=18)
    id_number_hash = models.CharField(max_length=64, editable=False, default="")
    id_tail = models.CharField(max_length=4, editable=False)
    birth_date = models.DateField(_("出生日期"))
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, default="")
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    residence_address = models.CharField(_("现居住地址"), max_length=200, blank=True)
    household_registration = models.CharField(_("户籍地"), max_length=200, blank=True)
    life_status = models.CharField(_("状态"), max_length=10, choices=LifeStatus.choices, default=LifeStatus.ALIVE)
    life_status_date = models.DateField(_("去世/迁出日期"), null=True, blank=True)

    person_kind = models.CharField(_("人员类别"), max_length=30, choices=PersonKind.choices, default=PersonKind.VETERAN)
    # Required of veterans only (the services and veteran_type_only_for_veterans say so).
    veteran_type = models.CharField(_("退役类别"), max_length=30, choices=VeteranType.choices, blank=True)
    branch = models.CharField(_("服役军种"), max_length=20, choices=Branch.choices, blank=True)
    enlistment_date = models.DateField(_("入伍时间"), null=True, blank=True)
    discharge_date = models.DateField(_("退役时间"), null=True, blank=True)

    receives_regular_subsidy = models.BooleanField(_("享受定期补助"), default=False)
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    party_relation = models.CharField(_("组织关系"), max_length=10, choices=PartyRelation.choices, blank=True)
    employment = models.CharField(_("就业状况"), max_length=20, choices=Employment.choices, blank=True)
    medical_insurance = models.CharField(_("医疗保险"), max_length=10, choices=MedicalInsurance.choices, blank=True)
    skills = models.CharField(_("专项特长"), max_length=200, blank=True)
    service_needs = models.CharField(_("服务需求"), max_length=500, blank=True)
    serious_illness = models.CharField(_("重大疾病"), max_length=200, blank=True)
    minimum_living_allowance = models.BooleanField(_("低保"), default=False)
    extreme_poverty = models.BooleanField(_("特困（五保）"), default=False)
    registered_poor = models.BooleanField(_("建档立卡贫困户"), default=False)
    glory_plaque_hung_on = models.DateField(_("光荣牌悬挂日期"), null=True, blank=True)
    # Dates known only to the month (ledgers write "1998.12"): stored as the 1st, listed here
    # (comma-separated field names) so they are shown back as the month. Kept by the services.
    month_only_dates = models.CharField(_("只精确到月的日期"), max_length=80, blank=True, default="", editable=False)
    paired_staff = models.ForeignKey(
        StaffProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paired_veterans",
        verbose_name=_("一对一结对人"),
    )
    notes = models.TextField(_("备注"), blank=True)
    # A re-encoded JPEG without metadata (veterans.services.veteran_set_photo); served only
    # through the scoped view veterans.views.person_photo, never from a public media URL.
    photo = models.FileField(_("照片"), upload_to="people/%Y/%m/", blank=True, editable=False)

    completeness = models.PositiveSmallIntegerField(_("完整度"), default=0, editable=False)
    # Visit schedule, kept by visits.schedule: due = last visit + the shortest policy interval
    # of the groups the veteran is in; an open must-visit event can bring it forward.
    last_visit_on = models.DateField(_("最近走访日期"), null=True, blank=True, editable=False)
    visit_interval_days = models.PositiveSmallIntegerField(_("走访周期（天）"), null=True, blank=True, editable=False)
    visit_due_on = models.DateField(_("应走访日期"), null=True, blank=True, editable=False)
    event_due_on = models.DateField(_("必访事项应访日期"), null=True, blank=True, editable=False)
    removed_at = models.DateTimeField(_("注销时间"), null=True, blank=True, editable=False)
    removed_reason = models.CharField(_("注销原因"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        # Any person the bureau serves (veterans and the other entitled persons).
        verbose_name = _("服务对象")
        verbose_name_plural = _("服务对象")
        ordering = ["-id"]
        permissions = [
            ("reveal_identity", _("可查看完整身份证号和电话（留痕）")),
            ("export_unmasked", _("可导出未脱敏台账（留痕）")),
            ("import_veterans", _("可从Excel导入退役军人")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=Q(removed_at__isnull=True), name="veteran_id_hash_unique_active"
            ),
            models.CheckConstraint(
                condition=Q(is_party_member=True) | Q(party_relation=""),
                name="veteran_party_relation_needs_member",
            ),
            models.CheckConstraint(
                condition=Q(life_status="alive") | Q(life_status_date__isnull=False),
                name="veteran_status_has_date",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(person_kind="veteran") & ~Q(veteran_type=""))
                    | (
                        ~Q(person_kind="veteran")
                        & Q(veteran_type="", branch="", enlistment_date__isnull=True, discharge_date__isnull=True)
                    )
                ),
                name="veteran_service_only_for_veterans",
            ),
        ]
        indexes = [
            models.Index(fields=["id_number_hash"], name="veteran_id_hash_idx"),
            models.Index(fields=["id_tail"], name="veteran_id_tail_idx"),
            models.Index(fields=["phone_hash"], name="veteran_phone_hash_idx"),
            models.Index(fields=["phone_tail"], name="veteran_phone_tail_idx"),
            models.Index(fields=["name"], name="veteran_name_idx"),
            models.Index(fields=["name_initials"], name="veteran_initials_idx"),
            models.Index(fields=["person_kind"], name="veteran_person_kind_idx"),
            models.Index(fields=["birth_date"], name="veteran_birth_idx"),
            # The board's 已迁出 / 已故 of the year (transfers.selectors.move_figures): few rows, found
            # without reading the city's living files.
            models.Index(
                fields=["life_status_date"],
                name="veteran_left_day_idx",
                condition=Q(life_status__in=["moved_out", "deceased"]),
            ),
            *GridScopedModel.scope_indexes("veteran", "id", condition=Q(removed_at__isnull=True)),
            models.Index(fields=["community", "completeness"], name="veteran_comm_complete_idx"),
            models.Index(fields=["street", "completeness"], name="veteran_street_complete_idx"),
            models.Index(fields=["district", "completeness"], name="veteran_dist_complete_idx"),
            models.Index(fields=["grid", "visit_due_on"], name="veteran_grid_due_idx"),
            models.Index(fields=["community", "visit_due_on"], name="veteran_comm_due_idx"),
            models.Index(fields=["street", "visit_due_on"], name="veteran_street_due_idx"),
            models.Index(fields=["district", "visit_due_on"], name="veteran_dist_due_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int:
        return age_on(self.birth_date, datetime.date.today())

    def shown_date(self, field: str) -> datetime.date | None:
        """The date as entered: a MonthDate where only the month is known."""
        value = getattr(self, field)
        if value is not None and field in self.month_only_dates.split(","):
            return MonthDate(value.year, value.month)
        return value

    @property
    def is_80_plus(self) -> bool:
        return self.age >= 80


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class PriorityCare(models.Model):
    # No index of its own: priority_care_unique (veteran, category) leads with the veteran.
    veteran = models.ForeignKey(
        Veteran, on_delete=models.CASCADE, related_name="priority_care", verbose_name=_("退役军人"), db_index=False
    )
    category = models.CharField(
        _("优抚类别"),
        max_length=30,
        choices=PriorityCategory.choices,
        help_text=_("烈士遗属、因公牺牲军人遗属、病故军人遗属的档案自动带有与其人员类别相同的优抚类别"),
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1至10级，仅残疾军人填写"),
    )

    class Meta:
        verbose_name = _("优抚类别")
        verbose_name_plural = _("优抚类别")
        constraints = [
            models.UniqueConstraint(fields=["veteran", "category"], name="priority_care_unique"),
            models.CheckConstraint(
                condition=(
                    Q(category="disabled", disability_grade__gte=1, disability_grade__lte=10)
                    | (~Q(category="disabled") & Q(disability_grade__isnull=True))
                ),
                name="priority_care_grade_only_disabled",
            ),
        ]
        indexes = [models.Index(fields=["category", "veteran"], name="priority_care_cat_idx")]

    def __str__(self) -> str:
        if self.category == PriorityCategory.DISABLED and self.disability_grade:
            return f"{self.get_category_display()}（{self.disability_grade}级）"
        return self.get_category_display()


class HonourKind(models.TextChoices):
    FIRST_CLASS = "first_class", _("一等功")
    SECOND_CLASS = "second_class", _("二等功")
    THIRD_CLASS = "third_class", _("三等功")
    TITLE = "title", _("荣誉称号")
    COMMENDATION = "commendation", _("嘉奖")
    OTHER = "other", _("其他")


MAJOR_HONOURS = {HonourKind.FIRST_CLASS, HonourKind.SECOND_CLASS, HonourKind.TITLE}


class Honour(models.Model):
    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="honours", verbose_name=_("退役军人"))
    kind = models.CharField(_("类别"), max_length=20, choices=HonourKind.choices)
    title = models.CharField(_("名称"), max_length=100, blank=True)
    awarded_year = models.PositiveSmallIntegerField(
        _("年份"), null=True, blank=True, validators=[MinValueValidator(1927), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("立功受奖")
        verbose_name_plural = _("立功受奖")
        indexes = [models.Index(fields=["kind", "veteran"], name="honour_kind_idx")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class FamilyRelation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class FamilyMember(models.Model):
    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="family", verbose_name=_("退役军人"))
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=10, choices=FamilyRelation.choices)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    is_military_family = models.BooleanField(_("军属"), default=False)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


class SoldierStatus(models.TextChoices):
    MARTYR = "martyr", _("烈士")
    DIED_ON_DUTY = "died_on_duty", _("因公牺牲")
    DIED_OF_ILLNESS = "died_of_illness", _("病故")
    SERVING = "serving", _("现役")


# The soldier a survivor's or family member's file derives from must be of this status.
KIND_SOLDIER_STATUS = {
    PersonKind.MARTYR_SURVIVOR: SoldierStatus.MARTYR,
    PersonKind.DIED_ON_DUTY_SURVIVOR: SoldierStatus.DIED_ON_DUTY,
    PersonKind.DIED_OF_ILLNESS_SURVIVOR: SoldierStatus.DIED_OF_ILLNESS,
    PersonKind.SERVING_FAMILY: SoldierStatus.SERVING,
}
# Kinds whose file cannot go without the soldier it derives from.
KINDS_NEEDING_SOLDIER = frozenset(KIND_SOLDIER_STATUS)
# A survivor's kind is also a priority-care category: the file always carries it, so the
# 烈属 ledger, the subsidies and the dashboard's categories agree with the kind of person.
KIND_CATEGORY = {
    PersonKind.MARTYR_SURVIVOR: PriorityCategory.MARTYR_FAMILY,
    PersonKind.DIED_ON_DUTY_SURVIVOR: PriorityCategory.DIED_ON_DUTY_FAMILY,
    PersonKind.DIED_OF_ILLNESS_SURVIVOR: PriorityCategory.DIED_OF_ILLNESS_FAMILY,
}


def categories_with_kind(kind: str, categories) -> list[tuple[str, int | None]]:
    """(category, grade) pairs, with the category the kind of person implies added if missing."""
    rows = list(categories)
    implied = KIND_CATEGORY.get(kind)
    if implied is not None and all(category != implied for category, _grade in rows):
        rows.append((implied, None))
    return rows


class SourceSoldier(models.Model):
    """The soldier a survivor's or family member's file derives from. A martyr has a name, unit,
    date and place of death and a certificate number, but usually no file of his own.
    Written only through veterans.services, with the person's file."""

    person = models.OneToOneField(
        Veteran, on_delete=models.CASCADE, related_name="source_soldier", verbose_name=_("服务对象")
    )
    name = models.CharField(_("军人姓名"), max_length=50)
    unit = models.CharField(_("部队"), max_length=100, blank=True)
    relation = models.CharField(_("与军人关系"), max_length=10, choices=FamilyRelation.choices)
    status = models.CharField(_("军人状态"), max_length=20, choices=SoldierStatus.choices)
    death_date = models.DateField(_("牺牲/病故日期"), null=True, blank=True)
    death_place = models.CharField(_("牺牲/病故地点"), max_length=100, blank=True)
    certificate_number = models.CharField(_("烈士证书编号"), max_length=50, blank=True)
    # When the soldier has a file of his own (a veteran who later died, say).
    soldier_file = models.ForeignKey(
        Veteran,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_files",
        verbose_name=_("军人本人档案"),
    )

    class Meta:
        verbose_name = _("来源军人")
        verbose_name_plural = _("来源军人")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="serving") | (Q(death_date__isnull=True) & Q(death_place="")),
                name="source_soldier_serving_not_dead",
            ),
            models.CheckConstraint(
                condition=Q(status="martyr") | Q(certificate_number=""),
                name="source_soldier_certificate_only_martyr",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"


class ChangeKind(models.TextChoices):
    CREATE = "create", _("建档")
    UPDATE = "update", _("修改")
    MOVE = "move", _("迁移网格")
    REMOVE = "remove", _("注销")
    RESTORE = "restore", _("恢复")
    IMPORT = "import", _("导入建档")


class VeteranChange(models.Model):
    """One changed field of one record: who, when, old → new. Written by the services only."""

    # No index of its own: veteran_change_idx (veteran, changed_at) leads with the veteran.
    veteran = models.ForeignKey(
        Veteran, on_delete=models.CASCADE, related_name="changes", verbose_name=_("退役军人"), db_index=False
    )
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = user_reference(_("操作人"))
    kind = models.CharField(_("类型"), max_length=10, choices=ChangeKind.choices)
    field = models.CharField(_("字段"), max_length=50, blank=True)
    old_value = models.TextField(_("原值"), blank=True)
    new_value = models.TextField(_("新值"), blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["veteran", "changed_at"], name="veteran_change_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.field}"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("校验中")
    INVALID = "invalid", _("有错误")
    VALID = "valid", _("校验通过，待确认")
    PARTIAL = "partial", _("部分行有误，正确的行待确认")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")
    EXPIRED = "expired", _("逾期未确认，已清除")


# Checked and waiting for the uploader's confirmation (cleared after VETERAN_IMPORT_CONFIRM_HOURS).
AWAITING_CONFIRMATION = (ImportStatus.VALID, ImportStatus.PARTIAL)


class VeteranImport(models.Model):
    """One uploaded ledger: checked in full first, then written all-or-nothing on confirmation."""

    created_by = user_reference(_("上传人"), null=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    staged_file = models.FileField(_("校验后数据"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    valid_rows = models.PositiveIntegerField(_("可导入行数"), default=0)
    refused_rows = models.PositiveIntegerField(_("有误行数"), default=0)
    # Where the header was found, the columns set aside (序号…) and the remark rows skipped.
    layout = models.JSONField(_("表格结构"), default=dict, blank=True)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("新建档案数"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
