"""Grid workers' appeal pages on /m/appeals/: take one in from the veteran card (or a visit),
follow their grid's appeals with the overdue ones first, add progress, record the return visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.filters import AppealFilter
from appeals.forms import AppealForm, FeedbackForm, NoteForm
from appeals.models import OPEN_STATUSES
from appeals.selectors import actions_for, annotate_urgency, appeal_detail_for, appeal_list_for
from appeals.services import appeal_open
from appeals.views import take_step
from core.errors import ApplicationError
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count, visits_for

MOBILE_STEPS = {"note", "feedback"}


@login_required
@permission_required("appeals.add_appeal", raise_exception=True)
@replayable("appeal")
def new_appeal(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=veteran_pk).first()
    if veteran is None:
        raise Http404
    visit = visits_for(user=request.user).filter(veteran=veteran, pk=request.GET.get("visit") or 0).first()
    form = AppealForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_open(veteran=veteran, visit=visit, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("诉求已受理，办理期限 %(date)s。") % {"date": appeal.deadline.isoformat()})
            return redirect("appeals_mobile:detail", pk=appeal.pk)
    context = {"veteran": veteran, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/appeal_form.html", context)


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def my_appeals(request):
    """我的诉求: open ones first, by deadline; then the rest, newest first."""
    still_open = Case(When(status__in=OPEN_STATUSES, then=0), default=1, output_field=IntegerField())
    filterset = AppealFilter(
        request.GET, queryset=appeal_list_for(user=request.user).order_by(still_open, "deadline", "-id")
    )
    appeals = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(appeals, 30).get_page(request.GET.get("page"))
    page.object_list = annotate_urgency(page.object_list)
    return render(request, "mobile/appeals.html", {"page": page, "unread": unread_count(user=request.user)})


def _appeal_or_404(request, pk):
    appeal = appeal_detail_for(user=request.user, pk=pk)
    if appeal is None:
        raise Http404
    return appeal


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def appeal_page(request, pk: int):
    appeal = _appeal_or_404(request, pk)
    annotate_urgency([appeal])
    offered = [name for name in actions_for(request.user, appeal) if name in MOBILE_STEPS]
    context = {
        "appeal": appeal,
        "note_form": NoteForm() if "note" in offered else None,
        "feedback_form": FeedbackForm() if "feedback" in offered else None,
        "unread": unread_count(user=request.user),
    }
    return render(request, "mobile/appeal.html", context)


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
@require_POST
def appeal_action(request, pk: int, action: str):
    appeal = _appeal_or_404(request, pk)
    try:
        if action not in MOBILE_STEPS:
            raise ApplicationError(_("当前不能进行此操作。"))
        take_step(request, appeal, action)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已记录。"))
    return redirect("appeals_mobile:detail", pk=pk)
