"""/dashboard/: a leader's or a station's figures, one area at a time, drilling down to a grid."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.figures import PRIORITY_LABELS, TYPE_LABELS, area_board, fund_board
from dashboard.selectors import area_for, breadcrumbs, monthly_trend


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def board(request: HttpRequest) -> HttpResponse:
    area = area_for(user=request.user, level=request.GET.get("level"), area_id=request.GET.get("id"))
    figures = area_board(user=request.user, area=area)
    total = figures.total
    charts = {
        "types": [{"name": str(TYPE_LABELS[k]), "value": v} for k, v in total.by_type.items() if v],
        "priority": [{"name": str(PRIORITY_LABELS[k]), "value": v} for k, v in total.by_priority.items()],
        "children": {
            "names": [child.name for child, _f in figures.rows],
            "coverage": [f.coverage_rate or 0 for _c, f in figures.rows],
            "overdue": [f.overdue for _c, f in figures.rows],
        },
        "trend": monthly_trend(user=request.user, area=area, today=timezone.localdate()),
        "labels": {"visits": _("走访次数"), "paid": _("救助发放（元）")},
    }
    context = {
        "board": figures,
        "total": total,
        "funds": fund_board(user=request.user, area=area),
        "trail": breadcrumbs(user=request.user, area=area),
        "charts": charts,
        "priority_labels": PRIORITY_LABELS,
        "type_labels": TYPE_LABELS,
    }
    return render(request, "dashboard/board.html", context)
