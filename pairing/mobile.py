"""结对走访 on the phone (/m/pairing/<person>/): the grid worker, or a paired cadre with an account,
records a contact of one of the person's active pairs from the person's card. Replayable, so a
form sent twice from the offline queue is stored once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from pairing.forms import PairContactForm
from pairing.selectors import active_pairs_of, contacts_for
from pairing.services import pair_contact_record
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count


@login_required
@permission_required("pairing.view_pair", raise_exception=True)  # a paired cadre may record too
@replayable("pair_contact")
def new_contact(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).filter(pk=veteran_pk).first()
    if veteran is None:
        raise Http404
    pairs = list(active_pairs_of(user=request.user, veteran=veteran))
    form = PairContactForm(request.POST or None, pairs=pairs, initial={"contacted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        pair = next(p for p in pairs if p.pk == form.cleaned_data["pair"])
        try:
            pair_contact_record(
                pair=pair,
                contacted_on=form.cleaned_data["contacted_on"],
                way=form.cleaned_data["way"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("结对走访已记录。"))
            return redirect("mobile:card", veteran.pk)
    recent = contacts_for(user=request.user).filter(pair__veteran=veteran).select_related("pair")[:5]
    context = {
        "veteran": veteran,
        "form": form,
        "pairs": pairs,
        "recent": recent,
        "unread": unread_count(user=request.user),
    }
    return TemplateResponse(request, "pairing/mobile_contact.html", context)
