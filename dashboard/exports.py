"""Dashboard tables as .xlsx: the child-area table at once, every grid of a big area in the
background with progress. Both read area_board, so the file shows what the page shows."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.exports import write_xlsx, xlsx_download
from audit.models import AuditAction
from audit.services import audit_record
from core.board_figures import counted_figures
from core.errors import ApplicationError
from dashboard.campaigns import campaign_board
from dashboard.figures import CHILD_LEVEL, KIND_FIELDS, Figures, area_board, board_for, fund_board, in_area
from dashboard.models import ExportStatus, StatisticsExport
from grids.models import AREA_MODELS, AreaLevel, Street, the_city
from grids.scoping import in_scope, scope_queryset

HEADERS = [
    gettext_noop("区域"),
    gettext_noop("服务对象"),
    gettext_noop("重点优抚对象"),
    gettext_noop("80岁及以上"),
    gettext_noop("特别困难"),
    gettext_noop("重大贡献"),
    gettext_noop("立功受奖"),
    gettext_noop("党员"),
    gettext_noop("口袋党员"),
    gettext_noop("流动党员"),
    gettext_noop("档案完整率（%）"),
    gettext_noop("平均完整度（%）"),
    gettext_noop("本周走访"),
    gettext_noop("本月走访"),
    gettext_noop("按期走访覆盖率（%）"),
    gettext_noop("逾期未访"),
    gettext_noop("在办救助"),
    gettext_noop("超期救助"),
    gettext_noop("今年发放件数"),
    gettext_noop("今年发放金额（元）"),
    gettext_noop("获知到发放中位天数"),
    gettext_noop("已悬挂光荣牌"),
    gettext_noop("在办诉求"),
    gettext_noop("超期诉求"),
    gettext_noop("今年诉求按期办结率（%）"),
    gettext_noop("微心愿"),
    gettext_noop("已实现微心愿"),
    # The people on file by kind (veterans.models.PersonKind, in its order).
    gettext_noop("退役军人"),
    gettext_noop("烈士遗属"),
    gettext_noop("因公牺牲军人遗属"),
    gettext_noop("病故军人遗属"),
    gettext_noop("现役军人家属"),
    gettext_noop("其他优抚对象"),
]


def _row(name: str, f: Figures) -> list:
    return [
        name,
        f.veterans,
        f.priority_total,
        f.age_80_plus,
        f.hardship,
        f.major_contribution,
        f.merit_awards,
        f.party_members,
        f.party_pocket,
        f.party_mobile,
        f.filing_rate,
        f.average_completeness,
        f.visits_week,
        f.visits_month,
        f.coverage_rate,
        f.overdue,
        f.cases_open,
        f.cases_overdue,
        f.paid_cases,
        f.paid_amount,
        f.median_days_to_payment,
        f.plaques,
        f.appeals_open,
        f.appeals_overdue,
        f.appeals_in_time_rate,
        f.wishes,
        f.wishes_fulfilled,
        *(getattr(f, name) for name in KIND_FIELDS),
        *(f.value(figure.name) for figure in counted_figures()),
    ]


def board_headers() -> list[str]:
    """The table's columns: the board's own, then each help app's counted figures."""
    return [*(_(h) for h in HEADERS), *(str(figure.label) for figure in counted_figures())]


def board_rows(board) -> list[list]:
    return [*(_row(child.name, figures) for child, figures in board.rows), _row(_("合计"), board.total)]


def children_download(*, user, area, request=None):
    """The table on the page, now."""
    board = board_for(user=user, area=area)
    rows = board_rows(board)
    title = _("%(area)s台账统计") % {"area": area.name}
    return xlsx_download(
        title=title,
        headers=board_headers(),
        rows=rows,
        user=user,
        request=request,
        audit_detail={"ledger": "dashboard", "area": f"{area.level}:{area.pk}", "rows": len(rows)},
    )


FUND_HEADERS = [
    gettext_noop("基金"), gettext_noop("级别"), gettext_noop("累计筹集（元）"), gettext_noop("累计支出（元）"),
    gettext_noop("结余（元）"),
]  # fmt: skip
CAMPAIGN_HEADERS = [
    gettext_noop("活动"), gettext_noop("开始日期"), gettext_noop("结束日期"), gettext_noop("慰问对象"),
    gettext_noop("应慰问"), gettext_noop("已慰问"), gettext_noop("覆盖率（%）"),
]  # fmt: skip


def funds_download(*, user, area, request=None):
    """The page's fund table (raised, paid, left per fund serving the area)."""
    rows = [
        [row.fund.name, row.fund.get_level_display(), row.raised, row.paid, row.left]
        for row in fund_board(user=user, area=area)
    ]
    return xlsx_download(
        title=_("%(area)s帮扶基金") % {"area": area.name},
        headers=[_(h) for h in FUND_HEADERS],
        rows=rows,
        user=user,
        request=request,
        audit_detail={"ledger": "dashboard_funds", "area": f"{area.level}:{area.pk}", "rows": len(rows)},
    )


def campaigns_download(*, user, area, request=None):
    """The page's holiday-campaign coverage table."""
    rows = [
        [
            row.campaign.name,
            row.campaign.starts_on,
            row.campaign.ends_on,
            row.campaign.get_target_display(),
            row.targeted,
            row.visited,
            row.share,
        ]
        for row in campaign_board(user=user, area=area, today=timezone.localdate())
    ]
    return xlsx_download(
        title=_("%(area)s节日慰问覆盖") % {"area": area.name},
        headers=[_(h) for h in CAMPAIGN_HEADERS],
        rows=rows,
        user=user,
        request=request,
        audit_detail={"ledger": "dashboard_campaigns", "area": f"{area.level}:{area.pk}", "rows": len(rows)},
    )


@transaction.atomic
def export_request(*, user, area, rows_level: str) -> StatisticsExport:
    """Queue an export of every `rows_level` area inside `area` (e.g. all grids of a district)."""
    if not in_scope(user, area):
        raise ApplicationError(_("该区域不在您的管辖范围内。"), code="out_of_scope")
    levels = list(CHILD_LEVEL)
    if rows_level not in levels or levels.index(rows_level) <= levels.index(area.level):
        raise ApplicationError(_("明细层级须低于所选区域。"), field="rows_level")
    export = StatisticsExport.objects.create(
        requested_by=user, level=area.level, area_id=area.pk, rows_level=rows_level
    )
    audit_record(action=AuditAction.EXPORT, actor=user, obj=export, detail={"area": f"{area.level}:{area.pk}"})
    from dashboard.tasks import build_statistics_export

    transaction.on_commit(lambda: build_statistics_export.delay(export.pk))
    return export


def export_build(export_id: int) -> None:
    """Street by street (progress after each), then one workbook; the requester's scope applies."""
    export = StatisticsExport.objects.select_related("requested_by").get(pk=export_id)
    user = export.requested_by
    area = the_city() if export.level == AreaLevel.CITY else AREA_MODELS[export.level].objects.get(pk=export.area_id)
    if area.level in (AreaLevel.CITY, AreaLevel.DISTRICT):  # street by street: progress moves, memory stays low
        parts = list(scope_queryset(user, Street.objects.filter(**in_area(area.level, area.pk))).order_by("id"))
    else:
        parts = [area]
    StatisticsExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, total=len(parts))
    rows, total = [], Figures()
    for done, part in enumerate(parts, start=1):
        board = area_board(user=user, area=part, rows_level=export.rows_level)
        rows.extend(_row(child.name, figures) for child, figures in board.rows)
        total.add(board.total)
        StatisticsExport.objects.filter(pk=export.pk).update(done=done)
    rows.append(_row(_("合计"), total))
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        title = _("%(area)s台账统计") % {"area": area.name}
        write_xlsx(
            handle,
            title=title,
            headers=board_headers(),
            rows=rows,
            exported_by=user.get_full_name() or user.get_username(),
        )
        handle.seek(0)
        export.file.save(f"statistics-{export.pk}.xlsx", File(handle), save=False)
    StatisticsExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, rows=len(rows), file=export.file.name, finished_at=timezone.now()
    )
    audit_record(
        action=AuditAction.EXPORT, actor=user, obj=export, detail={"area": f"{area.level}:{area.pk}", "rows": len(rows)}
    )
