"""The follow-up's desk page: the member, the steps so far, and the steps the user may take
(assign, record a step, bring under an organisation and close)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from party import forms, services
from party.models import Membership
from party.selectors import assignee_choices, followup_detail_for, organisation_choices

STEPS = ("assign", "step", "bring_in", "close")


def _follow_up_or_404(request, pk: int):
    follow_up = followup_detail_for(user=request.user, pk=pk)
    if follow_up is None:
        raise Http404
    return follow_up


def steps_for(user, follow_up, *, has_membership: bool) -> list[str]:
    """The steps to offer now (the services still check every rule)."""
    if not follow_up.is_open:
        return []
    offered = ["step"] if user.has_perm("party.add_followupstep") else []
    if user.has_perm("party.change_followup"):
        offered += ["assign", "close" if has_membership else "bring_in"]
    return offered


def _form(user, follow_up, name: str, data=None):
    today = timezone.localdate()
    if name == "assign":
        return forms.AssignForm(data, workers=assignee_choices(user=user, follow_up=follow_up))
    if name == "step":
        return forms.StepForm(data, initial={"on": today})
    if name == "bring_in":
        organisations = organisation_choices(user=user, person=follow_up.person)
        return forms.BringInForm(data, organisations=organisations, initial={"joined_on": today, "closed_on": today})
    return forms.CloseForm(data, initial={"closed_on": today})


@login_required
@permission_required("party.view_followup", raise_exception=True)
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_or_404(request, pk)
    membership = Membership.objects.filter(person=follow_up.person, left_on__isnull=True).first()
    offered = steps_for(request.user, follow_up, has_membership=membership is not None)
    context = {
        "follow_up": follow_up,
        "membership": membership,
        "step_forms": {name: _form(request.user, follow_up, name) for name in offered},
    }
    return render(request, "party/followup.html", context)


def _run(user, follow_up, name: str, data: dict) -> None:
    run = {
        "assign": services.followup_assign,
        "step": services.followup_step_add,
        "bring_in": services.followup_bring_in,
        "close": services.followup_close,
    }[name]
    run(follow_up=follow_up, acting_user=user, **data)


@login_required
@permission_required("party.view_followup", raise_exception=True)
@require_POST
def followup_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    follow_up = _follow_up_or_404(request, pk)
    has_membership = Membership.objects.filter(person=follow_up.person, left_on__isnull=True).exists()
    try:
        if action not in steps_for(request.user, follow_up, has_membership=has_membership):
            raise ApplicationError(_("当前不能进行此操作。"))
        form = _form(request.user, follow_up, action, request.POST)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            label = form.fields[field].label if field in form.fields else ""
            raise ApplicationError(_("%(field)s：%(error)s") % {"field": label, "error": errors[0]})
        _run(request.user, follow_up, action, form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已办理。"))
    return redirect("party:followup", pk=pk)
