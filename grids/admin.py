from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids import admin_audit  # noqa: F401  (registers the audit pages)
from grids.admin_scoping import ScopedAdminMixin
from grids.area_import import area_import_template, area_tree_import
from grids.forms import AreaForm, AreaUploadForm
from grids.models import AreaLevel, Community, District, Grid, Street

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
