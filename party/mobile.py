"""The grid worker's phone form: a contact with a pocket or mobile member of their grid, recorded
as a step of the member's open follow-up (sent once, even when the offline queue sends it twice)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from party.forms import ContactForm
from party.models import StepKind
from party.selectors import open_followup_of
from party.services import followup_step_add
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.card_todos import CardTodo
from visits.selectors import unread_count


@login_required
@permission_required("party.add_followupstep", raise_exception=True)
@replayable("party_contact")
def record_contact(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).filter(pk=veteran_pk).first()
    follow_up = open_followup_of(user=request.user, person_id=veteran_pk) if veteran else None
    if follow_up is None:
        raise Http404  # not theirs, or no open follow-up: nothing to record against
    form = ContactForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            followup_step_add(follow_up=follow_up, kind=StepKind.CONTACT, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录联系情况。"))
            return redirect("mobile:card", pk=veteran.pk)
    context = {"veteran": veteran, "follow_up": follow_up, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/party_contact.html", context)


def card_todos(*, user, veteran) -> list[CardTodo]:
    """On the card of a pocket or mobile member with an open follow-up: the button to record a
    contact (registered in apps.py). One query; nothing for anyone else's card."""
    follow_up = open_followup_of(user=user, person_id=veteran.pk)
    if follow_up is None:
        return []
    return [
        CardTodo(
            title=_("党员组织关系跟进：记录联系"),
            status=_("流动党员") if follow_up.relation_at_opening == "mobile" else _("口袋党员"),
            detail=_("%(day)s 开始跟进") % {"day": f"{follow_up.opened_on:%Y-%m-%d}"},
            url=reverse("party_mobile:contact", args=[veteran.pk]),
        )
    ]
