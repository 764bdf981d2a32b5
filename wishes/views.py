"""Desk pages for stations and leaders: coverage of a target group (一个都不能少), one wish with
its steps, and the fulfilment photo served only in scope. Thin: selectors read, services act."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from grids.models import AREA_MODELS, level_below
from grids.scoping import scope_queryset, user_scope
from veterans.models import PriorityCategory
from wishes.forms import CancelForm, ClaimForm, FulfilForm
from wishes.selectors import coverage_by_area, steps_available, wish_coverage, wish_detail_for
from wishes.services import STEPS, wish_cancel, wish_claim, wish_confirm, wish_fulfil, wish_publish

PAGE_SIZE = 50
STEP_FORMS = {"claim": ClaimForm, "fulfil": FulfilForm, "cancel": CancelForm}
SERVICES = {
    "publish": wish_publish,
    "claim": wish_claim,
    "fulfil": wish_fulfil,
    "confirm": wish_confirm,
    "cancel": wish_cancel,
}


def run_step(request: HttpRequest, wish, name: str) -> bool:
    """Take one step from a posted form; the outcome is told through messages."""
    if name not in STEPS:
        raise Http404
    form_class = STEP_FORMS.get(name)
    data = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(
                        request, _("%(field)s：%(error)s") % {"field": label, "error": error} if label else error
                    )
            return False
        data = form.cleaned_data
    try:
        SERVICES[name](wish=wish, acting_user=request.user, **data)
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("已办理：%(action)s。") % {"action": STEPS[name].label})
    return True


def _wish_or_404(request, pk: int):
    wish = wish_detail_for(user=request.user, pk=pk)
    if wish is None:
        raise Http404
    return wish


@login_required
@permission_required("wishes.view_microwish", raise_exception=True)
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wish = _wish_or_404(request, pk)
    steps = [(name, STEPS[name]) for name in steps_available(request.user, wish)]
    forms = {name: form_class() for name, form_class in STEP_FORMS.items()}
    return render(request, "wishes/wish_detail.html", {"wish": wish, "steps": steps, "forms": forms})


@login_required
@require_POST
def wish_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    run_step(request, _wish_or_404(request, pk), name)
    return redirect("wishes:detail", pk=pk)


@login_required
@permission_required("wishes.view_microwish", raise_exception=True)
def wish_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The fulfilment photo, only through the wish's scope, never from a public media URL."""
    wish = _wish_or_404(request, pk)
    if not wish.photo:
        raise Http404
    response = FileResponse(wish.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@permission_required("wishes.view_microwish", raise_exception=True)
def coverage(request: HttpRequest) -> HttpResponse:
    """微心愿覆盖: who in the target group has no wish yet, and where, one level down."""
    scope = user_scope(request.user)
    if scope is None:
        raise PermissionDenied
    category = request.GET.get("category")
    category = category if category in PriorityCategory.values else PriorityCategory.KOREAN_WAR
    level = level_below(scope.level)
    area_model = AREA_MODELS[level]
    area = None
    if str(request.GET.get("area", "")).isdigit():
        area = scope_queryset(request.user, area_model.objects.filter(pk=request.GET["area"])).first()
    figures = wish_coverage(user=request.user, category=category, area=area)
    rows = coverage_by_area(user=request.user, category=category, level=level)
    names = area_model.objects.in_bulk([row["area_id"] for row in rows])
    for row in rows:
        row["area"] = names.get(row["area_id"])
        row["missed"] = row["target"] - row["with_wish"]
    context = {
        "figures": figures,
        "rows": rows,
        "area": area,
        "level": level,
        "category": category,
        "categories": PriorityCategory.choices,
        "page": Paginator(figures.missing, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "wishes/coverage.html", context)
