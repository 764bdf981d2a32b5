"""The station's desk page of one referral: its facts, history and the steps the user may take.
The list is the admin's changelist (filters, search, ledger export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from referrals.selectors import referral_detail_for
from referrals.steps import step_forms, take_step


def referral_or_404(request, pk: int):
    referral = referral_detail_for(user=request.user, pk=pk)
    if referral is None:
        raise Http404
    return referral


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_or_404(request, pk)
    context = {"referral": referral, "steps": step_forms(request.user, referral), "step_url": "referrals:step"}
    return render(request, "referrals/detail.html", context)


def run_step(request, pk: int, action: str, detail_url: str) -> HttpResponse:
    referral = referral_or_404(request, pk)
    try:
        take_step(request, referral, action)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已记录。"))
    return redirect(detail_url, pk=pk)


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
@require_POST
def referral_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return run_step(request, pk, action, "referrals:detail")
