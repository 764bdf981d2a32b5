"""The station's training desk: providers, courses (with places taken and who enrolled), and
enrolments, where attendance and the certificate are recorded. Every save goes through
training.services; the enrolment list is also the 培训台账 and the board's figures' list."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import status_badge
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.errors import ApplicationError
from grids.admin_district_list import DistrictListAdmin
from grids.admin_scoping import ScopedAdminMixin
from grids.scoping import scope_queryset
from training import services
from training.exports import training_ledger_response
from training.filters import EnrolmentFilter
from training.models import TAKING_PART, Attendance, Course, CourseStatus, Enrolment, EnrolmentStatus, TrainingProvider
from training.selectors import attendance_rate, courses_for, with_attendance
from veterans import admin_filters as area_filters

AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]


class _RememberedForm(ServiceModelForm):
    """The dry run fills the instance from the form: keep the row as it was before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = self._meta.model.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None


class ProviderForm(_RememberedForm):
    class Meta:
        model = TrainingProvider
        fields = list(services.PROVIDER_FIELDS)

    def run_service(self):
        return services.provider_save(provider=self.original, acting_user=self.acting_user, **self.cleaned_data)


@admin.register(TrainingProvider)
class TrainingProviderAdmin(DistrictListAdmin):
    form = ProviderForm
    list_display = ["name", "kind", "district", "contact", "phone", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


class CourseForm(_RememberedForm):
    class Meta:
        model = Course
        fields = list(services.COURSE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "district" in self.fields:  # a street station's course takes its street's district
            self.fields["district"].required = False

    def run_service(self):
        if self.original is None:
            return services.course_create(acting_user=self.acting_user, **self.cleaned_data)
        return services.course_update(course=self.original, acting_user=self.acting_user, **self.cleaned_data)


class EnrolmentInline(admin.TabularInline):
    """Who enrolled, read-only here: each row links to the enrolment, where it is worked on."""

    model = Enrolment
    extra = 0
    fields = ["person_link", "enrolled_on", "status", "certificate_number", "certificate_on"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request)).select_related("veteran")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("退役军人"))
    def person_link(self, enrolment):
        url = reverse("admin:training_enrolment_change", args=[enrolment.pk])
        return format_html('<a href="{}">{}</a>', url, enrolment.veteran.name)


@admin.register(Course)
class CourseAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = CourseForm
    list_display = [
        "title",
        "trade",
        "provider",
        "area",
        "starts_on",
        "ends_on",
        "enrol_deadline",
        "places_display",
        status_badge(Course),
        "enrol_link",
    ]
    list_filter = ["status", "provider", "street"]
    search_fields = ["title", "trade"]
    date_hierarchy = "starts_on"
    inlines = [EnrolmentInline]
    actions = ["close_enrolment", "reopen_enrolment", "finish_course", "cancel_course"]

    def get_queryset(self, request):
        taken = Count("enrolments", filter=Q(enrolments__status__in=TAKING_PART))
        return super().get_queryset(request).select_related("provider", "district", "street").annotate(taken=taken)

    def has_delete_permission(self, request, obj=None):
        return False  # a course is cancelled, not deleted: its enrolments stay on record

    @admin.display(description=gettext_lazy("所属区域"))
    def area(self, course):
        return (course.street or course.district).name

    @admin.display(description=gettext_lazy("已报名/名额"), ordering="taken")
    def places_display(self, course):
        return f"{course.taken}/{course.places}"

    @admin.display(description=gettext_lazy("报名"))
    def enrol_link(self, course):
        if course.status != CourseStatus.OPEN:
            return ""
        url = reverse("admin:training_enrolment_add") + f"?course={course.pk}"
        return format_html('<a href="{}">{}</a>', url, _("报名"))

    def _move(self, request, queryset, status):
        moved = 0
        for course in queryset:
            try:
                services.course_set_status(course=course, status=status, acting_user=request.user)
                moved += 1
            except ApplicationError as error:
                self.message_user(request, f"{course.title}：{error.message}", messages.ERROR)
        if moved:
            self.message_user(request, _("已更新%(n)s个培训。") % {"n": moved}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("截止报名"), permissions=["change"])
    def close_enrolment(self, request, queryset):
        self._move(request, queryset, CourseStatus.CLOSED)

    @admin.action(description=gettext_lazy("重新开放报名"), permissions=["change"])
    def reopen_enrolment(self, request, queryset):
        self._move(request, queryset, CourseStatus.OPEN)

    @admin.action(description=gettext_lazy("结业"), permissions=["change"])
    def finish_course(self, request, queryset):
        self._move(request, queryset, CourseStatus.FINISHED)

    @admin.action(description=gettext_lazy("取消培训"), permissions=["change"])
    def cancel_course(self, request, queryset):
        self._move(request, queryset, CourseStatus.CANCELLED)


class EnrolmentAddForm(ServiceModelForm):
    class Meta:
        model = Enrolment
        fields = ["course", "veteran", "enrolled_on"]

    def run_service(self):
        return services.enrolment_create(acting_user=self.acting_user, **self.cleaned_data)


class EnrolmentSettleForm(_RememberedForm):
    """Completion with the certificate, or dropping out, by choosing the status."""

    class Meta:
        model = Enrolment
        fields = ["status", "completed_on", "certificate_number", "certificate_on", "dropped_reason"]

    def run_service(self):
        data, enrolment = self.cleaned_data, self.original
        if data["status"] == EnrolmentStatus.DROPPED and enrolment.status != EnrolmentStatus.DROPPED:
            reason = data["dropped_reason"]
            return services.enrolment_drop(enrolment=enrolment, reason=reason, acting_user=self.acting_user)
        if data["status"] == EnrolmentStatus.COMPLETED and self.changed_data:
            if data["completed_on"] is None:
                raise ApplicationError(_("请填写结业日期。"), field="completed_on")
            return services.enrolment_complete(
                enrolment=enrolment,
                completed_on=data["completed_on"],
                certificate_number=data["certificate_number"],
                certificate_on=data["certificate_on"],
                acting_user=self.acting_user,
            )
        if data["status"] != enrolment.status:
            message = _("报名状态为“%(status)s”，不能改回。") % {"status": enrolment.get_status_display()}
            raise ApplicationError(message, field="status")
        return enrolment


class AttendanceForm(ServiceModelForm):
    class Meta:
        model = Attendance
        fields = ["day", "present"]

    def run_service(self):
        data = self.cleaned_data
        return services.attendance_record(
            enrolment=self.instance.enrolment, day=data["day"], present=data["present"], acting_user=self.acting_user
        )


class AttendanceInline(admin.TabularInline):
    """Each day's attendance, written through the service (a day again corrects that day)."""

    model = Attendance
    form = AttendanceForm
    fields = ["day", "present"]
    extra = 1
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"acting_user": request.user})
        return formset


class TrainedYearFilter(admin.SimpleListFilter):
    """People who took part in a training of the year, one row each: the board's 今年参训人数."""

    title = gettext_lazy("参训年度（每人一行）")
    parameter_name = "trained_year"
    filter_name = "trained_year"

    def lookups(self, request, model_admin):
        year = timezone.localdate().year
        return [(str(year), _("今年")), (str(year - 1), _("去年"))]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return EnrolmentFilter({self.filter_name: value}, queryset=queryset).qs


class CertifiedYearFilter(TrainedYearFilter):
    """People certified in the year, one row each: the board's 今年取得证书人数."""

    title = gettext_lazy("取证年度（每人一行）")
    parameter_name = "certified_year"
    filter_name = "certified_year"


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    list_display = [
        "veteran",
        "course",
        "grid",
        "enrolled_on",
        status_badge(Enrolment),
        "attendance_display",
        "certificate_number",
        "certificate_on",
    ]
    list_select_related = ["veteran", "course", "grid"]
    list_filter = ["status", "course", TrainedYearFilter, CertifiedYearFilter, *AREA_FILTERS]
    search_fields = ["veteran__name"]
    raw_id_fields = ["veteran"]
    date_hierarchy = "enrolled_on"
    actions = ["export_ledger"]

    def get_queryset(self, request):
        return with_attendance(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = EnrolmentSettleForm if obj else EnrolmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "course":
            field.queryset = courses_for(user=request.user).filter(status=CourseStatus.OPEN)
        return field

    def get_readonly_fields(self, request, obj=None):
        return ["course", "veteran", "enrolled_on"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["course", "veteran", "enrolled_on"]
        return ["course", "veteran", "enrolled_on", *EnrolmentSettleForm.Meta.fields]

    def get_inlines(self, request, obj):
        return [AttendanceInline] if obj else []

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "enrolled_on": timezone.localdate()}

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # the change message's
        for inline_form in formset.forms:
            if inline_form.has_changed() and inline_form.cleaned_data.get("day"):
                try:
                    formset.new_objects.append(inline_form.run_service())
                except ApplicationError as error:
                    self.message_user(request, error.message, messages.ERROR)
        return None

    @admin.display(description=gettext_lazy("出勤率"))
    def attendance_display(self, enrolment):
        rate = attendance_rate(enrolment)
        return "" if rate is None else f"{rate}%（{enrolment.days_present}/{enrolment.days_recorded}）"

    @admin.action(description=gettext_lazy("导出所选：培训台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return training_ledger_response(queryset, user=request.user, request=request)
