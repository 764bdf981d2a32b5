"""Grid workers' referral pages on /m/referrals/: refer the person's need from the card to a
provider of the district's list (replayable: a form sent twice from the offline queue acts
once), and follow the referral up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.selectors import appeals_for
from core.errors import ApplicationError
from referrals.forms import ReferralForm
from referrals.selectors import open_referrals_of, providers_for_person
from referrals.services import referral_make
from referrals.steps import step_forms
from referrals.views import referral_or_404, run_step
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.card_todos import CardTodo
from visits.selectors import unread_count, visits_for


def _id(value) -> int:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else 0


@login_required
@permission_required("referrals.add_referral", raise_exception=True)
@replayable("referral")
def new_referral(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=veteran_pk).first()
    if veteran is None:
        raise Http404
    # Referred from a visit or an appeal of this person (?visit= / ?appeal=): kept as its source.
    visit = visits_for(user=request.user).filter(veteran=veteran, pk=_id(request.GET.get("visit"))).first()
    appeal = appeals_for(user=request.user).filter(veteran=veteran, pk=_id(request.GET.get("appeal"))).first()
    providers = providers_for_person(user=request.user, veteran=veteran)
    form = ReferralForm(request.POST or None, providers=providers, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_make(
                veteran=veteran, visit=visit, appeal=appeal, acting_user=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已转介，跟进日期 %(date)s。") % {"date": referral.follow_up_on.isoformat()})
            return redirect("referrals_mobile:detail", pk=referral.pk)
    context = {"veteran": veteran, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/referral_form.html", context)


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
def referral_page(request, pk: int):
    referral = referral_or_404(request, pk)
    context = {
        "referral": referral,
        "steps": step_forms(request.user, referral),
        "step_url": "referrals_mobile:action",
        "unread": unread_count(user=request.user),
    }
    return render(request, "mobile/referral.html", context)


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
@require_POST
def referral_action(request, pk: int, action: str):
    return run_step(request, pk, action, "referrals_mobile:detail")


def card_todos(*, user, veteran) -> list[CardTodo]:
    """The person's open referrals on the card (registered in apps.py)."""
    return [
        CardTodo(
            title=_("转介：%(provider)s") % {"provider": referral.provider.name},
            status=referral.get_status_display(),
            detail=_("转介 %(referred)s · 跟进 %(follow)s")
            % {"referred": f"{referral.referred_on:%Y-%m-%d}", "follow": f"{referral.follow_up_on or '—'}"},
            url=reverse("referrals_mobile:detail", args=[referral.pk]),
        )
        for referral in open_referrals_of(user=user, veteran=veteran)
    ]
