"""PDF downloads and the batch print pages. Thin: selectors read through the scope (anything
outside it is a 404), services make the file and audit it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from printing.models import BatchStatus
from printing.selectors import (
    archive_person,
    notice_case,
    own_batch,
    printable_areas,
    receipt_entry,
    recent_batches,
)
from printing.services import (
    archive_print,
    payment_notice_print,
    print_batch_download,
    print_batch_request,
    receipt_print,
)


def _as_pdf(response, filename: str):
    """Inline, so a phone opens it in its viewer; never cached by a shared proxy."""
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return _as_pdf(HttpResponse(content, content_type="application/pdf"), filename)


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    veteran = archive_person(user=request.user, pk=pk)
    if veteran is None:
        raise Http404
    content = archive_print(veteran=veteran, acting_user=request.user, request=request)
    return pdf_response(content, f"archive-{veteran.pk}.pdf")


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def batch_new(request: HttpRequest) -> HttpResponse:
    """Choose a community or a grid of one's area; short batches come back finished."""
    communities, grids = printable_areas(user=request.user)
    if request.method == "POST":
        level = request.POST.get("level", "")
        try:
            batch = print_batch_request(
                level=level,
                area_id=request.POST.get(level, ""),
                full_numbers=request.POST.get("full_numbers") == "1",
                acting_user=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect("printing:batch", pk=batch.pk)
    context = {
        "choices": [
            (level, label, areas)
            for level, label, areas in (
                ("community", _("按社区/村打印"), communities),
                ("grid", _("按网格打印"), grids),
            )
            if areas
        ],
        "batches": recent_batches(user=request.user),
        "may_print_full": request.user.has_perm("veterans.export_unmasked"),
    }
    return render(request, "printing/batch_new.html", context)


def _own_batch_or_404(request, pk: int):
    batch = own_batch(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return batch


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "printing/batch.html", {"batch": _own_batch_or_404(request, pk)})


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch = _own_batch_or_404(request, pk)
    return JsonResponse(
        {
            "finished": batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING),
            "done": batch.done,
            "total": batch.total,
            "percent": batch.percent,
            "status_display": batch.get_status_display(),
        }
    )


@login_required
@permission_required("veterans.view_veteran", raise_exception=True)
def batch_download(request: HttpRequest, pk: int) -> FileResponse:
    batch = _own_batch_or_404(request, pk)
    try:
        handle = print_batch_download(batch=batch, acting_user=request.user, request=request)
    except ApplicationError:
        raise Http404 from None
    return _as_pdf(FileResponse(handle, content_type="application/pdf"), f"archive-batch-{batch.pk}.pdf")


@login_required
@permission_required("assistance.view_fundentry", raise_exception=True)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    entry = receipt_entry(user=request.user, pk=pk)
    if entry is None:
        raise Http404
    serial, content = receipt_print(entry=entry, acting_user=request.user, request=request)
    return pdf_response(content, f"receipt-{serial}.pdf")


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    case = notice_case(user=request.user, pk=pk)
    if case is None:
        raise Http404
    serial, content = payment_notice_print(case=case, acting_user=request.user, request=request)
    return pdf_response(content, f"notice-{serial}.pdf")
