"""Desk pages for stations and the bureau: the approval queue, one case with its papers and
steps, and a printable donation receipt. Thin: selectors read, services act."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assistance.filters import CaseFilter
from assistance.forms import AttachmentForm, StepForm
from assistance.models import EntryKind
from assistance.rules import steps_available
from assistance.selectors import (
    attachment_for,
    case_detail_for,
    case_queue,
    days_to_payment_by_area,
    entries_for,
    funds_for,
    funds_to_pay,
    household_this_year,
    queue_stages_for,
    where_case_money_came_from,
    where_income_went,
)
from assistance.services import case_attach, case_step
from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from grids.models import AREA_MODELS, level_below
from grids.scoping import user_scope

PAGE_SIZE = 50


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """审批队列: what waits for this user, one tab per stage they may act on."""
    stages = queue_stages_for(request.user)
    if not stages:
        raise PermissionDenied
    stage = request.GET.get("stage") if request.GET.get("stage") in stages else stages[0]
    filterset = CaseFilter(request.GET, queryset=case_queue(user=request.user, stage=stage))
    cases = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"stages": stages, "stage": stage, "page": page, "filter": filterset, "today": timezone.localdate()}
    return render(request, "assistance/queue.html", context)


def _case_or_404(request, pk: int):
    case = case_detail_for(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    funds = funds_to_pay(user=request.user, cases=case)  # the service still decides
    # The household's year, this case included: once paid, its own money is part of it. (The cap
    # checks in the services leave the case out, as they weigh it against the rest.)
    paid, pending = household_this_year(case.veteran_id, timezone.localdate().year)
    context = {
        "case": case,
        "steps": steps_available(request.user, case),
        "step_form": StepForm(funds=funds, initial={"amount": case.amount_approved or case.amount_requested}),
        "attachment_form": AttachmentForm(),
        "paid_this_year": paid,
        "pending_this_year": pending,
        "trace": where_case_money_came_from(case),
    }
    return render(request, "assistance/case_detail.html", context)


@login_required
@require_POST
def case_take_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = StepForm(request.POST, funds=funds_for(user=request.user))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("assistance:case", pk=pk)
    data = form.cleaned_data
    try:
        case_step(
            case=case,
            action=data["action"],
            acting_user=request.user,
            comment=data["comment"],
            amount=data["amount"],
            special=data["special"],
            special_reason=data["special_reason"],
            fund=data["fund"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已办理。"))
    return redirect("assistance:case", pk=pk)


@login_required
@require_POST
def case_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_attach(
                case=case, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"], acting_user=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("材料已上传。"))
    else:
        messages.error(request, _("请选择材料类型和文件。"))
    return redirect("assistance:case", pk=pk)


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Papers are served only through the case's scope, never from a public media URL."""
    attachment = attachment_for(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    audit_record(action=AuditAction.VIEW_SENSITIVE, actor=request.user, obj=attachment, request=request)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(attachment.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@permission_required("assistance.view_fundentry", raise_exception=True)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable receipt for a donation or allocation, and where its money went."""
    entry = entries_for(user=request.user).filter(pk=pk, kind__in=[EntryKind.DONATION, EntryKind.ALLOCATION]).first()
    if entry is None:
        raise Http404
    context = {"entry": entry, "trace": where_income_went(entry), "printed_by": request.user}
    return render(request, "assistance/receipt.html", context)


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def timeliness(request: HttpRequest) -> HttpResponse:
    """救助时效: days from the first report to the money arriving, per area one level down."""
    scope = user_scope(request.user)
    if scope is None:
        raise PermissionDenied
    default = level_below(scope.level)
    level = request.GET.get("level") if request.GET.get("level") in AREA_MODELS else default
    rows = days_to_payment_by_area(user=request.user, level=level)
    return render(request, "assistance/timeliness.html", {"rows": rows, "level": level})
