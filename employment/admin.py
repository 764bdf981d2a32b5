"""The station's registry desk: registry lines with their history and certificates, partner
employers, bases, referrals (result recorded on the referral's page) and fairs. Every save goes
through employment.services."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import status_badge
from core.admin_forms import ServiceFormAdminMixin, ServiceModelForm
from core.errors import ApplicationError
from core.inputs import DayField
from core.money import yuan
from employment import services
from employment.exports import registry_ledger_response
from employment.models import (
    Certificate,
    Employer,
    EmploymentBase,
    EmploymentProfile,
    FairAttendance,
    JobFair,
    JobReferral,
    ReferralResult,
    StatusChange,
)
from employment.selectors import entrepreneurship_cases_of, live_q, placed_in_year_q
from grids.admin_district_list import DistrictListAdmin
from grids.admin_scoping import ScopedAdminMixin
from grids.scoping import scope_queryset
from veterans import admin_filters as area_filters

AREA_FILTERS = [
    area_filters.DistrictFilter,
    area_filters.StreetFilter,
    area_filters.CommunityFilter,
    area_filters.GridFilter,
]
WISHES = ["wants_job", "wants_training", "wants_business", "wish_note"]


class PlacedFilter(admin.SimpleListFilter):
    """今年实现就业 (and the year before), as the dashboard counts it (selectors.placed_in_year_q)."""

    title = gettext_lazy("实现就业")
    parameter_name = "placed_in"

    def lookups(self, request, model_admin):
        year = timezone.localdate().year
        return [(str(year), _("今年实现就业")), (str(year - 1), _("去年实现就业"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and 1949 <= int(value) <= 2100:
            return queryset.filter(placed_in_year_q(int(value)))
        return queryset


class LiveFilter(admin.SimpleListFilter):
    title = gettext_lazy("档案状态")
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("1", _("健在")), ("0", _("已故或迁出"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(live_q())
        if self.value() == "0":
            return queryset.exclude(live_q())
        return queryset


class ProfileAddForm(ServiceModelForm):
    class Meta:
        model = EmploymentProfile
        fields = ["person", "status", "status_since", "workplace", "skills", *WISHES, "registered_on"]

    def run_service(self):
        return services.employment_profile_register(acting_user=self.acting_user, **self.cleaned_data)


class ProfileChangeForm(ServiceModelForm):
    changed_on = DayField(
        label=gettext_lazy("状态变更日期"), required=False, help_text=gettext_lazy("就业状态改变时填写")
    )
    change_note = forms.CharField(label=gettext_lazy("变更说明"), required=False, max_length=300)

    class Meta:
        model = EmploymentProfile
        fields = ["status", "workplace", "skills", *WISHES]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = EmploymentProfile.objects.get(pk=self.instance.pk)

    def run_service(self):
        data, profile = self.cleaned_data, self.original
        if data["status"] != profile.status:
            if data["changed_on"] is None:
                raise ApplicationError(_("就业状态改变时请填写状态变更日期。"), field="changed_on")
            services.employment_status_change(
                profile=profile,
                status=data["status"],
                changed_on=data["changed_on"],
                note=data["change_note"],
                acting_user=self.acting_user,
            )
        fields = {name: data[name] for name in ("workplace", "skills", *WISHES)}
        return services.employment_profile_update(profile=profile, acting_user=self.acting_user, **fields)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["changed_on", "from_status", "to_status", "note", "actor", "at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("就业状态变更记录")


class CertificateForm(forms.ModelForm):
    issued_on = DayField(label=gettext_lazy("发证日期"))

    class Meta:
        model = Certificate
        fields = ["name", "issuer", "issued_on"]

    def clean_issued_on(self):
        # The service checks it again; here it is a field error, before anything is saved.
        day = self.cleaned_data["issued_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("发证日期不能晚于今天。"))
        return day


class CertificateInline(admin.TabularInline):
    """New certificates are added here (through certificate_add); old ones deleted, not edited."""

    model = Certificate
    form = CertificateForm
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmploymentProfile)
class EmploymentProfileAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    list_display = [
        "person",
        "age",
        status_badge(EmploymentProfile),
        "status_since",
        "workplace",
        "wishes",
        "grid",
        "registered_on",
    ]
    list_select_related = ["person", "grid"]
    list_filter = ["status", PlacedFilter, LiveFilter, "wants_job", "wants_training", "wants_business", *AREA_FILTERS]
    search_fields = ["person__name"]
    raw_id_fields = ["person"]
    actions = ["export_ledger"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(person__removed_at__isnull=True)

    def get_changeform_initial_data(self, request):
        today = timezone.localdate()
        return {"status_since": today, "registered_on": today, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ProfileChangeForm if obj else ProfileAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)
        return [
            "person",
            "grid",
            "status",
            "status_since",
            "changed_on",
            "change_note",
            "workplace",
            "skills",
            *WISHES,
            "registered_on",
            "registered_by",
            "entrepreneurship_cases",
            "referral_link",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "person",
            "grid",
            "status_since",
            "registered_on",
            "registered_by",
            "entrepreneurship_cases",
            "referral_link",
        ]

    def get_inlines(self, request, obj):
        return [StatusChangeInline, CertificateInline] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # a line leaves the registry with the person's file

    def save_formset(self, request, form, formset, change):
        if formset.model is not Certificate:
            return super().save_formset(request, form, formset, change)
        profile = form.instance
        # What the admin's change message reads; the services wrote the rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or not row.cleaned_data:
                continue
            if row.cleaned_data.get("DELETE") and row.instance.pk:
                services.certificate_delete(certificate=row.instance, acting_user=request.user)
                formset.deleted_objects.append(row.instance)
            elif not row.instance.pk and not row.cleaned_data.get("DELETE"):
                data = {name: row.cleaned_data[name] for name in ("name", "issuer", "issued_on")}
                formset.new_objects.append(services.certificate_add(profile=profile, acting_user=request.user, **data))
        return None

    @admin.display(description=gettext_lazy("年龄"))
    def age(self, profile):
        return profile.person.age

    @admin.display(description=gettext_lazy("意愿"))
    def wishes(self, profile):
        names = [
            (profile.wants_job, _("求职")),
            (profile.wants_training, _("培训")),
            (profile.wants_business, _("创业")),
        ]
        return "、".join(str(label) for wanted, label in names if wanted) or "—"

    @admin.display(description=gettext_lazy("创业补贴与贷款贴息"))
    def entrepreneurship_cases(self, profile):
        cases = entrepreneurship_cases_of(user=self._request.user, person_id=profile.person_id)
        if not cases:
            return _("暂无（在困难救助中按“自主创业补贴”或“创业担保贷款贴息”类型申请）")
        return format_html_join(
            "",
            '<a href="{}">{} {} {}（{}）</a><br>',
            (
                (
                    reverse("assistance:case", args=[case.pk]),
                    case.case_type.name,
                    case.reported_on,
                    yuan(case.amount_approved or case.amount_requested),
                    case.get_status_display(),
                )
                for case in cases
            ),
        )

    @admin.display(description=gettext_lazy("推荐就业"))
    def referral_link(self, profile):
        url = reverse("admin:employment_jobreferral_add") + f"?person={profile.person_id}"
        return format_html('<a class="button" href="{}" id="refer-person">{}</a>', url, _("推荐到企业"))

    def changeform_view(self, request, *args, **kwargs):
        self._request = request  # the read-only case list is read in the viewer's scope
        return super().changeform_view(request, *args, **kwargs)

    @admin.action(description=gettext_lazy("导出所选：就业创业实名登记台账"), permissions=["view"])
    def export_ledger(self, request, queryset):
        return registry_ledger_response(queryset, user=request.user, request=request)


class _DistrictRowAdmin(DistrictListAdmin):
    """Employers, bases and fairs are kept district-wide, by any station of the district (a
    street's station adds employers of its district: services._require_district)."""

    street_stations_pick_their_district = True


class EmployerForm(ServiceModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "credit_code",
            "district",
            "contact_name",
            "contact_phone",
            "address",
            "veteran_owned",
            "active",
        ]

    def run_service(self):
        employer = Employer(pk=self.instance.pk, **self.cleaned_data)
        return services.employer_save(employer=employer, acting_user=self.acting_user)


@admin.register(Employer)
class EmployerAdmin(_DistrictRowAdmin):
    form = EmployerForm
    list_display = ["name", "credit_code", "district", "contact_name", "veteran_owned", "active"]
    list_filter = ["active", "veteran_owned", "district"]
    search_fields = ["name", "credit_code"]


class BaseForm(ServiceModelForm):
    class Meta:
        model = EmploymentBase
        fields = ["name", "employer", "district", "address", "capacity", "established_on"]

    def run_service(self):
        base = EmploymentBase(pk=self.instance.pk, **self.cleaned_data)
        return services.employment_base_save(base=base, acting_user=self.acting_user)


@admin.register(EmploymentBase)
class EmploymentBaseAdmin(_DistrictRowAdmin):
    form = BaseForm
    list_display = ["name", "employer", "district", "capacity", "established_on"]
    list_filter = ["district"]
    search_fields = ["name"]


def _still_pending(referral: JobReferral) -> bool:
    """From the database: a refused form has already written its values onto the admin's object."""
    return JobReferral.objects.filter(pk=referral.pk, result=ReferralResult.PENDING).exists()


class ReferralAddForm(ServiceModelForm):
    class Meta:
        model = JobReferral
        fields = ["person", "employer", "position", "referred_on", "note"]

    def run_service(self):
        return services.job_referral_create(acting_user=self.acting_user, **self.cleaned_data)


class ReferralResultForm(ServiceModelForm):
    result_on = DayField(label=gettext_lazy("结果日期"))

    class Meta:
        model = JobReferral
        fields = ["result", "result_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original = JobReferral.objects.get(pk=self.instance.pk)
        self.fields["result"].choices = [c for c in ReferralResult.choices if c[0] != ReferralResult.PENDING]

    def run_service(self):
        return services.job_referral_result(referral=self.original, acting_user=self.acting_user, **self.cleaned_data)


@admin.register(JobReferral)
class JobReferralAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    list_display = ["person", "employer", "position", "referred_on", status_badge(JobReferral, "result"), "result_on"]
    list_select_related = ["person", "employer"]
    list_filter = ["result", *AREA_FILTERS]
    search_fields = ["person__name", "employer__name", "position"]
    raw_id_fields = ["person"]
    date_hierarchy = "referred_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ReferralResultForm if obj else ReferralAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)
        return ["person", "employer", "position", "referred_on", "referred_by", "result", "result_on", "note"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        done = [] if _still_pending(obj) else ["result", "result_on", "note"]
        return ["person", "employer", "position", "referred_on", "referred_by", *done]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("referred_on", timezone.localdate())
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None and not _still_pending(obj):
            return False  # a result is final
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class AttendanceInline(ReadOnlyInline):
    """A district's fair lists only the attendees the viewer may see."""

    model = FairAttendance
    fields = ["person", "offers", "offer_employers", "hired", "hired_on"]
    readonly_fields = fields

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request)).select_related("person")


class FairForm(ServiceModelForm):
    class Meta:
        model = JobFair
        fields = ["name", "held_on", "place", "district", "employers_count", "positions_count"]

    def run_service(self):
        fair = JobFair(pk=self.instance.pk, **self.cleaned_data)
        return services.job_fair_save(fair=fair, acting_user=self.acting_user)


@admin.register(JobFair)
class JobFairAdmin(_DistrictRowAdmin):
    form = FairForm
    inlines = [AttendanceInline]
    list_display = ["name", "held_on", "place", "district", "employers_count", "positions_count"]
    list_filter = ["district"]
    date_hierarchy = "held_on"


class AttendanceForm(ServiceModelForm):
    hired_on = DayField(
        label=gettext_lazy("就业日期"), required=False, help_text=gettext_lazy("在招聘会上实现就业时填写")
    )
    workplace = forms.CharField(label=gettext_lazy("录用单位"), required=False, max_length=100)

    class Meta:
        model = FairAttendance
        fields = ["fair", "person", "offers", "offer_employers"]

    def run_service(self):
        return services.fair_attendance_record(acting_user=self.acting_user, **self.cleaned_data)


@admin.register(FairAttendance)
class FairAttendanceAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = AttendanceForm
    list_display = ["person", "fair", "offers", "hired", "hired_on"]
    list_select_related = ["person", "fair"]
    list_filter = ["hired", *AREA_FILTERS]
    search_fields = ["person__name", "fair__name"]
    raw_id_fields = ["person"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in FairAttendance._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
