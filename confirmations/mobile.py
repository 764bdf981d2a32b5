"""The phone's 年度确认 page, reached by the button on the veteran card: the grid worker (or the
station) confirms a recipient with a home or station visit of this year to that person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from confirmations.models import ConfirmationMethod
from confirmations.selectors import confirmations_for
from confirmations.services import CONFIRMING_VISIT_METHODS, confirmation_confirm
from core.errors import ApplicationError
from veterans.selectors import veterans_for
from visits.selectors import unread_count, visits_for


@login_required
@permission_required("confirmations.confirm_confirmation", raise_exception=True)
def confirm_by_visit(request, veteran_pk: int):
    veteran = veterans_for(user=request.user).filter(pk=veteran_pk).first()
    if veteran is None:
        raise Http404
    year = timezone.localdate().year
    confirmation = confirmations_for(user=request.user, year=year).filter(veteran=veteran).first()
    visits = list(
        visits_for(user=request.user)
        .filter(veteran=veteran, visited_at__year=year, method__in=CONFIRMING_VISIT_METHODS)
        .order_by("-visited_at")[:20]
    )
    error = None
    if request.method == "POST":
        chosen = next((v for v in visits if str(v.pk) == request.POST.get("visit")), None)
        try:
            confirmation_confirm(
                veteran=veteran,
                method=ConfirmationMethod.VISIT,
                visit=chosen,
                notes=request.POST.get("notes", ""),
                acting_user=request.user,
            )
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, _("已完成%(year)s年度确认。") % {"year": year})
            return redirect("mobile:card", veteran.pk)
    context = {
        "veteran": veteran,
        "year": year,
        "confirmation": confirmation,
        "visits": visits,
        "error": error,
        "unread": unread_count(user=request.user),
    }
    return render(request, "mobile/confirmation.html", context)
