"""Grid workers' wish pages on /m/wishes/: record a wish from the veteran card, follow the wishes
of their grids, and record a fulfilment with a photo. Anything outside their grids is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from replays.replay import from_queue, refused_with_messages, replayable
from veterans.selectors import veterans_for
from visits.selectors import unread_count
from wishes.filters import WishFilter
from wishes.forms import FulfilForm, WishForm
from wishes.selectors import steps_available, wish_detail_for, wishes_for
from wishes.services import wish_collect
from wishes.views import run_step

PAGE_SIZE = 30


@login_required
@permission_required("wishes.add_microwish", raise_exception=True)
@replayable("wish")
def new_wish(request, pk: int):
    veteran = veterans_for(user=request.user).select_related("grid").filter(pk=pk).first()
    if veteran is None:
        raise Http404
    form = WishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            wish = wish_collect(veteran=veteran, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录心愿。"))
            return redirect("wishes_mobile:detail", pk=wish.pk)
    context = {"veteran": veteran, "form": form, "unread": unread_count(user=request.user)}
    return TemplateResponse(request, "mobile/wish_form.html", context)


@login_required
@permission_required("wishes.view_microwish", raise_exception=True)
def my_wishes(request):
    """我的心愿: the wishes of the worker's grids, newest first."""
    filterset = WishFilter(request.GET, queryset=wishes_for(user=request.user).order_by("-created_at", "-id"))
    wishes = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(wishes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mobile/wishes.html", {"page": page, "unread": unread_count(user=request.user)})


@login_required
@permission_required("wishes.view_microwish", raise_exception=True)
def wish_page(request, pk: int):
    wish = wish_detail_for(user=request.user, pk=pk)
    if wish is None:
        raise Http404
    can_fulfil = "fulfil" in steps_available(request.user, wish)
    context = {"wish": wish, "form": FulfilForm() if can_fulfil else None, "unread": unread_count(user=request.user)}
    return render(request, "mobile/wish.html", context)


@login_required
@require_POST
@replayable("wish_fulfil")
def fulfil(request, pk: int):
    wish = wish_detail_for(user=request.user, pk=pk)
    if wish is None:
        raise Http404
    if not run_step(request, wish, "fulfil") and from_queue(request):
        return refused_with_messages(request)
    return redirect("wishes_mobile:detail", pk=pk)
