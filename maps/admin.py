from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from core.admin_forms import ServiceFormAdminMixin
from core.errors import ApplicationError
from grids.admin_scoping import ScopedAdminMixin
from maps.boundaries import boundaries_import
from maps.forms import BoundaryUploadForm, HomeForm, HomesUploadForm
from maps.home_import import homes_import, homes_import_template
from maps.homes import home_from_visit
from maps.models import AreaBoundary, HomePosition
from veterans import admin_filters as area_filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_page(model_admin, request, *, title: str, template: str, form, report, **extra):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "report": report,
        "opts": model_admin.model._meta,
        **extra,
    }
    return TemplateResponse(request, template, context)


@admin.register(AreaBoundary)
class AreaBoundaryAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    """Boundaries are uploaded a whole level at a time (the upload page); the list shows which
    areas have one. Nothing is edited by hand: a new file replaces an area's boundary."""

    change_list_template = "maps/admin/boundary_change_list.html"
    list_display = ["area_name", "level", "min_lon", "min_lat", "max_lon", "max_lat", "uploaded_by", "updated_at"]
    list_select_related = ["district", "street", "community", "grid", "uploaded_by"]
    list_filter = ["level", area_filters.DistrictFilter, area_filters.StreetFilter]
    fields = ["level", "district", "street", "community", "grid", "geometry", "uploaded_by", "updated_at"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=gettext_lazy("区域"))
    def area_name(self, boundary: AreaBoundary) -> str:
        return str(getattr(boundary, boundary.level))

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="maps_boundary_upload")
        return [upload, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": request.user.has_perm("maps.add_areaboundary")}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not request.user.has_perm("maps.add_areaboundary"):
            raise PermissionDenied
        report = None
        form = BoundaryUploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                report = boundaries_import(
                    uploaded_file=form.cleaned_data["file"],
                    level=form.cleaned_data["level"],
                    within=form.within_area(),
                    acting_user=request.user,
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if report.ok:
                    messages.success(request, _("已保存 %(n)s 个区域的边界。") % {"n": report.stored})
                    return redirect(reverse("admin:maps_areaboundary_changelist"))
        return _upload_page(
            self,
            request,
            title=_("上传区域边界"),
            template="maps/admin/boundary_upload.html",
            form=form,
            report=report,
            submit_label=_("检查并保存"),
            changelist_url="admin:maps_areaboundary_changelist",
        )


@admin.register(HomePosition)
class HomePositionAdmin(ScopedAdminMixin, ServiceFormAdminMixin, admin.ModelAdmin):
    form = HomeForm
    change_list_template = "maps/admin/home_change_list.html"
    list_display = [
        "veteran",
        "grid",
        "longitude",
        "latitude",
        "source",
        "outside_grid",
        "confirmed_by",
        "confirmed_at",
    ]
    list_select_related = ["veteran", "grid", "confirmed_by"]
    list_filter = [
        "outside_grid",
        "source",
        area_filters.StreetFilter,
        area_filters.CommunityFilter,
        area_filters.GridFilter,
    ]
    search_fields = ["veteran__name"]
    raw_id_fields = ["veteran"]
    actions = ["take_from_visits"]
    show_full_result_count = False

    change_form_template = "maps/admin/home_change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The picker shows the person's grid when the home exists, else the user's own areas.
        query = f"?level=grid&id={obj.grid_id}&detail=full" if obj is not None else ""
        context["picker_areas_url"] = reverse("api-map-areas") + query
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.action(description=gettext_lazy("以走访定位为住址"), permissions=["change"])
    def take_from_visits(self, request, queryset):
        """The station confirms each chosen person's latest home-visit position as the home."""
        done, refused = 0, []
        for home in queryset.select_related("veteran"):
            try:
                home_from_visit(veteran=home.veteran, acting_user=request.user)
                done += 1
            except ApplicationError as error:
                refused.append(error.message)
        if done:
            messages.success(request, _("已按走访定位更新 %(n)s 人的住址。") % {"n": done})
        for message in refused[:10]:
            messages.warning(request, message)

    def get_urls(self):
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="maps_home_import"),
            path("import/template/", self.admin_site.admin_view(self.template_view), name="maps_home_template"),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm("maps.change_homeposition")}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not request.user.has_perm("maps.change_homeposition"):
            raise PermissionDenied
        report = None
        form = HomesUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = homes_import(uploaded_file=form.cleaned_data["file"], acting_user=request.user)
            except ApplicationError as error:
                form.add_error("file", error.message)
            else:
                if report.ok:
                    messages.success(request, _("已导入 %(n)s 人的住址定位。") % {"n": report.stored})
                    return redirect(reverse("admin:maps_homeposition_changelist"))
        return _upload_page(
            self,
            request,
            title=_("导入住址定位"),
            template="maps/admin/home_import.html",
            form=form,
            report=report,
            submit_label=_("上传并导入"),
            changelist_url="admin:maps_homeposition_changelist",
        )

    def template_view(self, request):
        if not request.user.has_perm("maps.change_homeposition"):
            raise PermissionDenied
        response = HttpResponse(homes_import_template(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''home_positions_template.xlsx"
        return response
