"""A background export's page: its progress, then its file, for the requester only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from audit.models import AuditAction
from audit.services import audit_record
from exports.models import FINISHED, ExportJob, JobStatus


def _own_job(request, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404
    return job


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "exports/job.html", {"job": _own_job(request, pk)})


@login_required
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    export = _own_job(request, pk)
    return JsonResponse(
        {
            "finished": export.status in FINISHED,
            "done": export.done,
            "total": export.total,
            "status_display": export.get_status_display(),
        }
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    export = _own_job(request, pk)
    if export.status != JobStatus.DONE:
        raise Http404
    detail = {"ledger": export.ledger, "rows": export.done, "download": True}
    audit_record(action=AuditAction.EXPORT, actor=request.user, obj=export, request=request, detail=detail)
    filename = f"{export.title}-{export.created_at:%Y%m%d}.xlsx"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=filename)
