"""/dashboard/: a leader's or a station's figures, one area at a time, drilling down to a grid."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_record
from confirmations.selectors import confirmation_figures, confirmation_totals
from core.board_figures import figure_sources
from core.db.replicas import stale_reads_view
from core.errors import ApplicationError
from dashboard.campaigns import campaign_board
from dashboard.exports import campaigns_download, children_download, export_request, funds_download
from dashboard.figures import KIND_LABELS, PRIORITY_LABELS, TYPE_LABELS, board_for, fund_board
from dashboard.models import ExportStatus, StatisticsExport
from dashboard.selectors import area_for, breadcrumbs, monthly_trend
from grids.models import AreaLevel
from transfers.selectors import move_figures, move_totals, recent_moves


def _confirmations(user, area, today) -> dict:
    """年度确认 of this year in the area, per child area; empty when no round has opened."""
    rows = confirmation_figures(user=user, year=today.year, area=area, day=today)
    return {"year": today.year, "rows": rows, "total": confirmation_totals(rows)}


# The figures the map can colour its areas by: (key on Figures, label, whether more is better).
MAP_FIGURES = [
    ("overdue", gettext_lazy("逾期未访"), False),
    ("coverage_rate", gettext_lazy("走访覆盖率"), True),
    ("cases_open", gettext_lazy("在办救助"), False),
    ("filing_rate", gettext_lazy("档案完整率"), True),
    ("wishes_fulfilled", gettext_lazy("已实现微心愿"), True),
]


def _map(area, figures) -> dict:
    """What the map card draws: the child areas' boundaries (from the map API, same scope) with
    their figures by name, and at grid level the homes."""
    query = f"level={area.level}&id={area.pk}"
    values = {
        child.name: {key: float(getattr(f, key) or 0) for key, _label, _better in MAP_FIGURES}
        for child, f in figures.rows
    }
    return {
        "areas_url": f"{reverse('api-map-areas')}?{query}",
        "homes_url": f"{reverse('api-map-homes')}?grid={area.pk}" if area.level == AreaLevel.GRID else "",
        "figures": [{"key": key, "label": str(label), "better_high": better} for key, label, better in MAP_FIGURES],
        "values": values,
        "tile_url": settings.MAP_TILE_URL,
        "labels": {"no_boundaries": _("本区域的下级区域尚未上传边界。"), "low": _("低"), "high": _("高")},
    }


def _moves(user, area, today) -> dict:
    """迁入迁出 of this year in the area, per child area, and the latest moves with their dates."""
    rows = move_figures(user=user, year=today.year, area=area)
    return {"year": today.year, "rows": rows, "total": move_totals(rows), "recent": recent_moves(user=user, area=area)}


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
@stale_reads_view
def board(request: HttpRequest) -> HttpResponse:
    area = area_for(user=request.user, level=request.GET.get("level"), area_id=request.GET.get("id"))
    figures = board_for(user=request.user, area=area)
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
        "labels": {
            "visits": _("走访次数"),
            "paid": _("救助发放（元）"),
            "coverage": _("按期走访覆盖率"),
            "paid_cases": _("发放件数"),
            "cases_open": _("月末在办救助"),
            "appeals_open": _("月末在办诉求"),
        },
        "map": _map(area, figures),
    }
    context = {
        "board": figures,
        "total": total,
        "funds": fund_board(user=request.user, area=area),
        "campaigns": campaign_board(user=request.user, area=area, today=figures.today),
        "confirmations": _confirmations(request.user, area, figures.today),
        "moves": _moves(request.user, area, figures.today),
        "trail": breadcrumbs(user=request.user, area=area),
        "charts": charts,
        "by_kind": [{"name": f"kind:{key}", "label": label} for key, label in KIND_LABELS.items()],
        "by_type": [{"name": f"type:{key}", "label": label} for key, label in TYPE_LABELS.items()],
        "by_priority": [{"name": f"priority:{key}", "label": label} for key, label in PRIORITY_LABELS.items()],
        "sources": figure_sources(),
        "priority_labels": PRIORITY_LABELS,
        "type_labels": TYPE_LABELS,
        "map_figures": MAP_FIGURES,
    }
    return render(request, "dashboard/board.html", context)


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_children(request: HttpRequest):
    """The table on the page as .xlsx, straight away (it has at most a few hundred rows)."""
    area = area_for(user=request.user, level=request.GET.get("level"), area_id=request.GET.get("id"))
    return children_download(user=request.user, area=area, request=request)


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_funds(request: HttpRequest):
    area = area_for(user=request.user, level=request.GET.get("level"), area_id=request.GET.get("id"))
    return funds_download(user=request.user, area=area, request=request)


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_campaigns(request: HttpRequest):
    area = area_for(user=request.user, level=request.GET.get("level"), area_id=request.GET.get("id"))
    return campaigns_download(user=request.user, area=area, request=request)


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    area = area_for(user=request.user, level=request.POST.get("level"), area_id=request.POST.get("id"))
    try:
        export = export_request(user=request.user, area=area, rows_level=request.POST.get("rows_level", "grid"))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('dashboard:board')}?level={area.level}&id={area.pk}")
    return redirect("dashboard:export", pk=export.pk)


def _own_export(request, pk: int) -> StatisticsExport:
    export = StatisticsExport.objects.filter(pk=pk, requested_by=request.user).first()
    if export is None:
        raise Http404
    return export


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "dashboard/export.html", {"export": _own_export(request, pk)})


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    export = _own_export(request, pk)
    finished = export.status in (ExportStatus.DONE, ExportStatus.FAILED)
    return JsonResponse(
        {
            "finished": finished,
            "done": export.done,
            "total": export.total,
            "status_display": export.get_status_display(),
        }
    )


@login_required
@permission_required("dashboard.view_dashboard", raise_exception=True)
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.status != ExportStatus.DONE:
        raise Http404
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        obj=export,
        request=request,
        detail={"rows": export.rows, "download": True},
    )
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"statistics-{export.pk}.xlsx")
