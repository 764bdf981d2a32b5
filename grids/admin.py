from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import account_set_active
from accounts.two_factor import otp_devices_reset
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from grids.area_import import area_import_template, area_tree_import
from grids.forms import AreaForm, AreaUploadForm, StaffProfileForm
from grids.models import AreaLevel, Community, District, Grid, StaffProfile, Street

STATION_FIELDSET = (
    gettext_lazy("服务站"),
    {"fields": ["station_name", "station_address", "station_phone"]},
)


class AreaAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = AreaForm
    change_list_template = "grids/admin/area_change_list.html"
    search_fields = ["code", "name"]
    show_full_result_count = False
    parent_field: str | None = None

    def get_readonly_fields(self, request, obj=None):
        # Moving an area to another parent would have to re-key everything below it.
        if obj is not None and self.parent_field:
            return [self.parent_field]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_import_areas"] = request.user.has_perm("grids.import_area_tree")
        return super().changelist_view(request, extra_context)


@admin.register(District)
class DistrictAdmin(AreaAdmin):
    list_display = ["code", "name", "station_name", "station_phone"]
    fieldsets = [(None, {"fields": ["code", "name"]}), STATION_FIELDSET]

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="grids_area_import",
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="grids_area_import_template",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request):
        if not request.user.has_perm("grids.import_area_tree"):
            raise PermissionDenied
        report = None
        form = AreaUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = area_tree_import(uploaded_file=form.cleaned_data["file"], acting_user=request.user)
            except ApplicationError as error:
                form.add_error("file", error.message)
            else:
                if report.ok:
                    created = "，".join(
                        f"{AreaLevel(level).label} {count}" for level, count in report.created.items() if count
                    )
                    messages.success(request, _("导入成功：%(created)s。") % {"created": created or "0"})
                    return redirect(reverse("admin:grids_grid_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("从Excel导入区域"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "grids/admin/area_import.html", context)

    def import_template_view(self, request):
        if not request.user.has_perm("grids.import_area_tree"):
            raise PermissionDenied
        response = HttpResponse(
            area_import_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''area_template.xlsx"
        return response


@admin.register(Street)
class StreetAdmin(AreaAdmin):
    parent_field = "district"
    list_display = ["code", "name", "district", "station_name", "station_phone"]
    list_select_related = ["district"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter)]
    fieldsets = [(None, {"fields": ["district", "code", "name"]}), STATION_FIELDSET]


@admin.register(Community)
class CommunityAdmin(AreaAdmin):
    parent_field = "street"
    list_display = ["code", "name", "street", "station_name", "station_phone"]
    list_select_related = ["street"]
    list_filter = [("street", admin.RelatedOnlyFieldListFilter)]
    fieldsets = [(None, {"fields": ["street", "code", "name"]}), STATION_FIELDSET]


@admin.register(Grid)
class GridAdmin(AreaAdmin):
    parent_field = "community"
    list_display = ["code", "name", "community", "street"]
    list_select_related = ["community", "street"]
    list_filter = [("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "community__name"]
    fields = ["community", "code", "name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = StaffProfileForm
    list_display = ["username", "full_name", "role", "scope_display", "phone", "is_active", "second_factor"]
    list_filter = ["role", "scope_level"]
    actions = ["reset_second_factor", "disable_accounts", "enable_accounts"]
    search_fields = ["user__username", "user__first_name"]  # the phone is encrypted: not searchable
    list_select_related = ["user", "district", "street", "community"]
    filter_horizontal = ["grids"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["username", "full_name", "password", "phone"]}),
        (
            gettext_lazy("角色与管辖范围"),
            {"fields": ["role", "scope_level", "district", "street", "community", "grids"]},
        ),
    ]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
        return super().get_queryset(request).prefetch_related("grids").annotate(has_authenticator=Exists(enrolled))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [
            (None, {"fields": ["full_name", "phone"]}),
            self.fieldsets[1],
        ]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit refers to them

    @admin.display(description=gettext_lazy("用户名"), ordering="user__username")
    def username(self, profile):
        return profile.user.username

    @admin.display(description=gettext_lazy("姓名"))
    def full_name(self, profile):
        return profile.user.first_name

    @admin.display(description=gettext_lazy("启用"), boolean=True)
    def is_active(self, profile):
        return profile.user.is_active

    @admin.display(description=gettext_lazy("管辖范围"))
    def scope_display(self, profile):
        if profile.scope_level == AreaLevel.GRID:
            return "、".join(grid.name for grid in profile.grids.all())
        return str(profile.scope_area or "")

    @admin.display(description=gettext_lazy("双因素认证"), boolean=True)
    def second_factor(self, profile):
        return profile.has_authenticator

    @admin.action(description=gettext_lazy("重置双因素认证（手机丢失或更换）"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        done = 0
        for profile in queryset.select_related("user"):
            try:
                otp_devices_reset(user=profile.user, acting_user=request.user, request=request)
            except ApplicationError as error:
                self.message_user(
                    request,
                    _("%(account)s：%(reason)s") % {"account": profile, "reason": error.message},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("已重置 %(count)s 个账号的双因素认证，其登录已结束；下次登录时须重新绑定手机。") % {"count": done},
                messages.SUCCESS,
            )

    def _set_active(self, request, queryset, *, active: bool) -> None:
        changed = 0
        for profile in queryset.select_related("user"):
            try:
                changed += account_set_active(
                    user=profile.user, active=active, acting_user=request.user, request=request
                )
            except ApplicationError as error:
                self.message_user(
                    request,
                    _("%(account)s：%(reason)s") % {"account": profile, "reason": error.message},
                    messages.ERROR,
                )
        if changed:
            message = (
                _("已启用 %(count)s 个账号。")
                if active
                else _("已停用 %(count)s 个账号，其登录已结束；账号和审计记录保留，可随时重新启用。")
            )
            self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("停用所选账号（离岗、调离）"), permissions=["change"])
    def disable_accounts(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description=gettext_lazy("启用所选账号"), permissions=["change"])
    def enable_accounts(self, request, queryset):
        self._set_active(request, queryset, active=True)
