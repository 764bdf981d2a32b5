"""Admin pages of the Excel import: upload, preview with every bad row, confirm, progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from veterans.forms import ImportUploadForm
from veterans.import_services import veteran_import_confirm, veteran_import_start
from veterans.importing import import_template, read_progress
from veterans.models import ImportStatus, VeteranImport
from veterans.selectors import imports_awaiting_confirmation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_urls(model_admin):
    site = model_admin.admin_site

    def guarded(view):
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm("veterans.import_veterans"):
                raise PermissionDenied
            return view(request, model_admin, *args, **kwargs)

        return site.admin_view(wrapper)

    return [
        path("import/", guarded(start_view), name="veterans_import_start"),
        path("import/template/", guarded(template_view), name="veterans_import_template"),
        path("import/<int:pk>/", guarded(detail_view), name="veterans_import_detail"),
        path("import/<int:pk>/progress/", guarded(progress_view), name="veterans_import_progress"),
        path("import/<int:pk>/confirm/", guarded(confirm_view), name="veterans_import_confirm"),
    ]


def _context(request, model_admin, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        **extra,
    }


def start_view(request, model_admin):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = veteran_import_start(uploaded_file=form.cleaned_data["file"], acting_user=request.user)
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("admin:veterans_import_detail", pk=record.pk)
    waiting = request.GET.get("waiting") == "1"  # the workbench's link: every import still to confirm
    if waiting:
        recent = imports_awaiting_confirmation(user=request.user)
    else:
        recent = VeteranImport.objects.filter(created_by=request.user)[:10]
    context = _context(request, model_admin, _("从Excel导入退役军人"), form=form, recent=recent, waiting=waiting)
    return TemplateResponse(request, "veterans/admin/import_start.html", context)


def template_view(request, model_admin):
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''veterans_template.xlsx"
    return response


def _own(request, pk) -> VeteranImport:
    # Imports are private to their uploader: the rows may name people outside others' scope.
    return get_object_or_404(VeteranImport, pk=pk, created_by=request.user)


def detail_view(request, model_admin, pk):
    record = _own(request, pk)
    running = record.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)
    context = _context(
        request,
        model_admin,
        _("导入：%(name)s") % {"name": record.original_name},
        record=record,
        running=running,
        statuses=ImportStatus,
    )
    return TemplateResponse(request, "veterans/admin/import_detail.html", context)


def progress_view(request, model_admin, pk):
    record = _own(request, pk)
    progress = read_progress(record.pk) or {}
    return JsonResponse(
        {
            "status": record.status,
            "status_display": record.get_status_display(),
            "done": progress.get("done", 0),
            "total": record.total_rows or progress.get("total"),
            "finished": record.status not in (ImportStatus.VALIDATING, ImportStatus.IMPORTING),
        }
    )


def confirm_view(request, model_admin, pk):
    if request.method != "POST":
        return redirect("admin:veterans_import_detail", pk=pk)
    record = _own(request, pk)
    try:
        veteran_import_confirm(record=record, acting_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("admin:veterans_import_detail", pk=pk)
