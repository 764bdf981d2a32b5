"""Desk pages for stations and the bureau: the appeal list with overdue ones highlighted, one
appeal with its checklist and history and the steps the user may take, and the ledger export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals import forms, services
from appeals.exports import appeals_ledger_response
from appeals.filters import AppealFilter
from appeals.selectors import (
    actions_for,
    annotate_urgency,
    appeal_detail_for,
    appeal_list_for,
    appeals_for,
    due_soon_q,
    handler_choices,
    overdue_q,
)
from core.errors import ApplicationError

PAGE_SIZE = 50


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def appeal_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = AppealFilter(request.GET, queryset=appeal_list_for(user=request.user))
    appeals = filterset.qs if filterset.is_valid() else appeal_list_for(user=request.user).none()
    page = Paginator(appeals.order_by("deadline", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = annotate_urgency(page.object_list, today)
    scoped = appeals_for(user=request.user)
    counts = {
        "overdue": scoped.filter(overdue_q(today)).count(),
        "due_soon": scoped.filter(due_soon_q(today)).count(),
    }
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "counts": counts, "query": query.urlencode()}
    return render(request, "appeals/list.html", context)


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def appeal_export(request: HttpRequest):
    """问题诉求台账 with the list's filters."""
    filterset = AppealFilter(request.GET, queryset=appeals_for(user=request.user))
    appeals = filterset.qs if filterset.is_valid() else appeals_for(user=request.user).none()
    return appeals_ledger_response(appeals, user=request.user, request=request)


def _appeal_or_404(request, pk: int):
    appeal = appeal_detail_for(user=request.user, pk=pk)
    if appeal is None:
        raise Http404
    return appeal


def step_forms(user, appeal) -> dict:
    today = {"received_on": timezone.localdate(), "resolved_on": timezone.localdate()}
    built = {
        "note": lambda: forms.NoteForm(),
        "assign": lambda: forms.AssignForm(handlers=handler_choices(user=user, appeal=appeal)),
        "documents": lambda: forms.DocumentsForm(documents=appeal.documents.all(), initial=today),
        "resolve": lambda: forms.ResolveForm(initial=today),
        "feedback": lambda: forms.FeedbackForm(),
        "cancel": lambda: forms.CancelForm(),
    }
    return {name: built[name]() for name in actions_for(user, appeal)}


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    annotate_urgency([appeal])
    context = {"appeal": appeal, "step_forms": step_forms(request.user, appeal)}
    return render(request, "appeals/detail.html", context)


def take_step(request, appeal, action: str) -> None:
    """Run one step from a posted form; raises ApplicationError with a message for the user."""
    user = request.user
    if action not in actions_for(user, appeal):
        raise ApplicationError(_("当前不能进行此操作。"))
    form_class = {
        "note": forms.NoteForm,
        "assign": forms.AssignForm,
        "documents": forms.DocumentsForm,
        "resolve": forms.ResolveForm,
        "feedback": forms.FeedbackForm,
        "cancel": forms.CancelForm,
    }[action]
    extra = {"handlers": handler_choices(user=user, appeal=appeal)} if action == "assign" else {}
    extra = {"documents": appeal.documents.all()} if action == "documents" else extra
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        raise ApplicationError(_("%(field)s：%(error)s") % {"field": label, "error": errors[0]} if label else errors[0])
    data = form.cleaned_data
    run = {
        "note": lambda: services.appeal_note_add(appeal=appeal, acting_user=user, **data),
        "assign": lambda: services.appeal_assign(appeal=appeal, acting_user=user, **data),
        "documents": lambda: services.appeal_documents_receive(appeal=appeal, acting_user=user, **data),
        "resolve": lambda: services.appeal_resolve(appeal=appeal, acting_user=user, **data),
        "feedback": lambda: services.appeal_feedback(appeal=appeal, acting_user=user, **data),
        "cancel": lambda: services.appeal_cancel(appeal=appeal, acting_user=user, **data),
    }
    run[action]()


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
@require_POST
def appeal_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    try:
        take_step(request, appeal, action)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已办理。"))
    return redirect("appeals:detail", pk=pk)
