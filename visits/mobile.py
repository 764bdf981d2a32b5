"""Phone pages for grid workers at /m/: due list, veteran card, visit and event forms,
inbox and grid activities. Thin: forms validate, services act, selectors read."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import ViewPart
from core.errors import ApplicationError
from grids.models import Grid
from grids.scoping import scope_queryset
from replays.replay import replayable
from veterans.models import Honour, Veteran
from veterans.rules import KeyGroup, key_groups
from veterans.selectors import veterans_for
from veterans.services import veteran_reveal_identity
from veterans.view_services import veteran_record_view
from visits import selectors
from visits.card_actions import card_actions_for
from visits.card_todos import card_todos_for
from visits.forms import ActivityForm, EventForm, VisitForm
from visits.models import MAX_LOCATION_ACCURACY, Notification
from visits.services import grid_activity_record, must_visit_event_report, notices_mark_read, visit_record

PAGE_SIZE = 30


def _veteran_or_404(user, pk: int) -> Veteran:
    veteran = (
        veterans_for(user=user).select_related("grid", "community", "street", "source_soldier").filter(pk=pk).first()
    )
    if veteran is None:
        raise Http404
    return veteran


def _context(request, **extra):
    return {"unread": selectors.unread_count(user=request.user), **extra}


@login_required
def home(request):
    today = timezone.localdate()
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.due_list(user=request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        request, page=page, search=search, today=today, counts=selectors.due_counts(user=request.user, today=today)
    )
    return render(request, "mobile/home.html", context)


@login_required
def card(request, pk: int):
    veteran = _veteran_or_404(request.user, pk)
    veteran_record_view(veteran=veteran, part=ViewPart.MOBILE, acting_user=request.user, request=request)
    honour_kinds = set(Honour.objects.filter(veteran=veteran).values_list("kind", flat=True))
    context = _context(
        request,
        veteran=veteran,
        care=list(veteran.priority_care.all()),
        groups=[KeyGroup.labels[g] for g in key_groups(veteran, honour_kinds, timezone.localdate())],
        visits=selectors.recent_visits(user=request.user, veteran=veteran),
        events=selectors.open_events(user=request.user, veteran=veteran),
        follow_ups=selectors.open_follow_ups(user=request.user, veteran=veteran),
        todos=card_todos_for(request.user, veteran),
        actions=card_actions_for(request.user, veteran.pk),
        today=timezone.localdate(),
    )
    return render(request, "mobile/card.html", context)


@login_required
@require_POST
def reveal_phone(request, pk: int):
    veteran = _veteran_or_404(request.user, pk)
    try:
        numbers = veteran_reveal_identity(veteran=veteran, acting_user=request.user, request=request)
    except ApplicationError as error:
        return HttpResponseForbidden(error.message)
    return render(request, "mobile/phone.html", {"phone": numbers["phone"], "veteran": veteran})


@login_required
@replayable("visit")
def visit_form(request, pk: int):
    if not request.user.has_perm("visits.add_visit"):
        return HttpResponseForbidden(_("您没有记录走访的权限。"))
    veteran = _veteran_or_404(request.user, pk)
    campaigns = selectors.active_campaigns_for_veteran(veteran=veteran, day=timezone.localdate())
    companions = selectors.team_users(user=request.user).exclude(pk=request.user.pk)
    form = VisitForm(request.POST or None, request.FILES or None, campaigns=campaigns, companions=companions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _visit, created = visit_record(
                veteran=veteran,
                acting_user=request.user,
                client_id=data["client_id"],
                visited_at=data["visited_at"],
                method=data["method"],
                kind=data["kind"],
                event_kind=data["event_kind"],
                campaign=data["campaign"],
                findings=data["findings"],
                needs=data["needs"],
                money=data["money"],
                goods=data["goods"],
                goods_value=data["goods_value"],
                follow_up_needed=data["follow_up_needed"],
                follow_up_by=data["follow_up_by"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                location_accuracy=data["location_accuracy"],
                photos=data["photos"],
                visitors=[request.user, *data["companions"]],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录走访。") if created else _("该走访已记录，未重复保存。"))
            return redirect("mobile:card", pk=veteran.pk)
    context = _context(request, veteran=veteran, form=form, max_accuracy=MAX_LOCATION_ACCURACY)
    return TemplateResponse(request, "mobile/visit_form.html", context)


@login_required
@replayable("event")
def event_form(request, pk: int):
    veteran = _veteran_or_404(request.user, pk)
    form = EventForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            must_visit_event_report(veteran=veteran, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已登记必访事项。"))
            return redirect("mobile:card", pk=veteran.pk)
    return TemplateResponse(request, "mobile/event_form.html", _context(request, veteran=veteran, form=form))


@login_required
def inbox(request):
    items = list(Notification.objects.filter(recipient=request.user)[:50])
    just_read = notices_mark_read(notices=items, acting_user=request.user)
    return render(request, "mobile/inbox.html", {"items": items, "unread": 0, "just_read": just_read})


@login_required
def activities(request):
    today = timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    grids = scope_queryset(request.user, Grid.objects.order_by("code"))
    form = ActivityForm(request.POST or None, grids=grids, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            grid_activity_record(acting_user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已登记活动。"))
            return redirect("mobile:activities")
    items = selectors.activities_for(user=request.user, start=week_start, end=today)
    context = _context(request, form=form, items=items, today=today, week_start=week_start)
    return render(request, "mobile/activities.html", context)
