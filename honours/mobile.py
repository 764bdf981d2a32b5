"""The grid worker's phone page for a merit notice (立功喜报): from the person's card, record that
the family received it (the day, how, optionally a photo). Sent twice from the offline queue, it
acts once (replays.replay). A person outside the worker's grids is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from honours.forms import DeliverForm
from honours.selectors import waiting_notices_of
from honours.services import merit_notice_deliver
from replays.replay import replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count


@login_required
@permission_required("honours.deliver_meritnotice", raise_exception=True)
@replayable("merit_notice_deliver")
def deliver(request, veteran_pk: int):
    person = veterans_for(user=request.user).filter(pk=veteran_pk).first()
    if person is None:
        raise Http404
    notices = list(waiting_notices_of(user=request.user, family_id=person.pk))
    form = DeliverForm(request.POST or None, request.FILES or None, notices=notices)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        notice = next(n for n in notices if n.pk == values.pop("notice"))
        try:
            merit_notice_deliver(notice=notice, acting_user=request.user, **values)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已登记喜报送达。"))
            return redirect("mobile:card", person.pk)
    context = {"person": person, "notices": notices, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/merit_deliver.html", context)
