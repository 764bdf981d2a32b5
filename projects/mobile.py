"""The grid worker's phone pages, from the person's card: record a need found on the visit, and
record the served person's rating of a delivered service. Both replayable from the offline queue
(a form sent twice acts once)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from projects.forms import DeskEvaluationForm, NeedForm
from projects.selectors import deliveries_awaiting_rating
from projects.services import evaluation_record, need_record
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.card_todos import CardTodo
from visits.selectors import unread_count, visits_for


def _person_or_404(request, pk: int):
    person = veterans_for(user=request.user).select_related("grid").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _refused_into(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@permission_required("projects.add_serviceneed", raise_exception=True)
@replayable("service_need")
def need_new(request, veteran_pk: int):
    person = _person_or_404(request, veteran_pk)
    visit = visits_for(user=request.user).filter(veteran=person, pk=request.GET.get("visit") or 0).first()
    form = NeedForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            need_record(person=person, visit=visit, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _refused_into(form, error)
        else:
            messages.success(request, _("已登记服务需求，服务站将据此立项。"))
            return redirect("mobile:card", pk=person.pk)
    context = {"veteran": person, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "projects/mobile/need_form.html", context)


@login_required
@permission_required("projects.add_serviceevaluation", raise_exception=True)
@replayable("service_rating")
def rate(request, veteran_pk: int):
    person = _person_or_404(request, veteran_pk)
    deliveries = list(deliveries_awaiting_rating(user=request.user, person=person))
    form = DeskEvaluationForm(
        request.POST or None, deliveries=deliveries, initial={"evaluated_on": timezone.localdate()}
    )
    form.fields["delivery"].label = _("服务项目")
    form.fields["delivery"].choices = [(d.pk, f"{d.project.title}（{d.delivered_on}）") for d in deliveries]
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_record(acting_user=request.user, **form.service_arguments(None))
        except ApplicationError as error:
            _refused_into(form, error)
        else:
            messages.success(request, _("已记录服务评价。"))
            return redirect("mobile:card", pk=person.pk)
    context = {"veteran": person, "form": form, "deliveries": deliveries, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "projects/mobile/rate_form.html", context)


def card_todos(*, user, veteran) -> list[CardTodo]:
    """Services delivered to the person and not yet rated, on the card's to-do list (one query)."""
    return [
        CardTodo(
            title=_("服务评价：%(title)s") % {"title": delivery.project.title},
            status=_("待评价"),
            detail=_("交付 %(date)s") % {"date": f"{delivery.delivered_on:%Y-%m-%d}"},
            url=reverse("projects_mobile:rate", args=[veteran.pk]),
        )
        for delivery in deliveries_awaiting_rating(user=user, person=veteran)
    ]
