"""Grid workers' hardship pages on /m/: report from the veteran card (with papers), follow
their own cases, add papers, resubmit or withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assistance.filters import CaseFilter
from assistance.forms import AttachmentForm, CaseForm
from assistance.rules import steps_available
from assistance.selectors import case_detail_for, cases_for, open_cases_of
from assistance.services import case_attach, case_report, case_step
from core.errors import ApplicationError
from core.money import yuan
from grids.scoping import scope_queryset
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.card_todos import CardTodo
from visits.models import Visit
from visits.selectors import unread_count

MOBILE_STEPS = {"submit", "withdraw"}


@login_required
@permission_required("assistance.add_hardshipcase", raise_exception=True)
@replayable("hardship")
def report_hardship(request, pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=pk).first()
    if veteran is None:
        raise Http404
    # Opened from a visit on the card (?visit=): the case remembers it, and its date is the report date.
    visit = _visit_of(request, veteran)
    reported_on = timezone.localtime(visit.visited_at).date() if visit else timezone.localdate()
    form = CaseForm(request.POST or None, request.FILES or None, initial={"reported_on": reported_on})
    if request.method == "POST" and form.is_valid():
        try:  # the case, all its papers and its submission, or nothing
            case_report(veteran=veteran, visit=visit, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else "papers", error.message)
        else:
            submitted = form.cleaned_data["submit_now"]
            messages.success(request, _("已提交困难救助申请。") if submitted else _("已保存困难救助草稿。"))
            return redirect("mobile:card", pk=veteran.pk)
    context = {"veteran": veteran, "visit": visit, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/hardship_form.html", context)


def _visit_of(request, veteran) -> Visit | None:
    """The visit named in ?visit=, if it is one of this veteran's visits in the user's scope."""
    visit_id = request.GET.get("visit", "")
    if not visit_id.isdigit() or len(visit_id) > 18:
        return None
    return scope_queryset(request.user, Visit.objects.filter(veteran=veteran, pk=int(visit_id))).first()


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def my_cases(request):
    """我的救助: the cases of the worker's grids, newest first (`?status=returned`: those sent back)."""
    filterset = CaseFilter(request.GET, queryset=cases_for(user=request.user).order_by("-created_at", "-id"))
    cases = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    return render(request, "mobile/cases.html", {"page": page, "unread": unread_count(user=request.user)})


@login_required
@permission_required("assistance.view_hardshipcase", raise_exception=True)
def case_page(request, pk: int):
    case = case_detail_for(user=request.user, pk=pk)
    if case is None:
        raise Http404
    steps = [(name, step) for name, step in steps_available(request.user, case) if name in MOBILE_STEPS]
    context = {"case": case, "steps": steps, "form": AttachmentForm(), "unread": unread_count(user=request.user)}
    return render(request, "mobile/case.html", context)


@login_required
@require_POST
def case_action(request, pk: int):
    """Add a paper, or resubmit / withdraw, from the phone."""
    case = case_detail_for(user=request.user, pk=pk)
    if case is None:
        raise Http404
    try:
        if request.POST.get("action") in MOBILE_STEPS:
            case_step(case=case, action=request.POST["action"], acting_user=request.user)
            messages.success(request, _("已办理。"))
        else:
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ApplicationError(_("请选择材料类型和文件。"))
            case_attach(case=case, acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("材料已上传。"))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("mobile:case", pk=pk)


def card_todos(*, user, veteran) -> list[CardTodo]:
    """The person's open hardship cases on the card's to-do list (registered in apps.py): a case
    just reported from the card is there when the worker comes back to it."""
    return [
        CardTodo(
            title=_("困难救助：%(type)s") % {"type": case.case_type.name},
            status=case.get_status_display(),
            detail=_("%(amount)s · 获知 %(date)s")
            % {"amount": yuan(case.amount_approved or case.amount_requested), "date": f"{case.reported_on:%Y-%m-%d}"},
            url=reverse("mobile:case", args=[case.pk]),
        )
        for case in open_cases_of(user=user, veteran=veteran)
    ]
