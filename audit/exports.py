"""Streamed .xlsx downloads: rows go to a temporary file (write-only workbook, flat memory),
the file is sent from disk, and every export is an audit event with its row count."""

import tempfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from audit.models import AuditAction
from audit.services import audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    target, *, title: str, headers: Sequence[str], rows: Iterable[Sequence], exported_by: str, notes=()
) -> int:
    """A numbered sheet plus an "export information" sheet (who, when, how many)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in [_("序号"), *headers]:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        count += 1
        sheet.append([count, *row])
    info = workbook.create_sheet(_("导出信息"))
    for line in (
        [_("台账"), str(title)],
        [_("导出人"), exported_by],
        [_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")],
        [_("记录数"), count],
        *notes,
    ):
        info.append(list(line))
    workbook.save(target)
    return count


def xlsx_download(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], user, request=None, audit_detail: dict, notes=()
) -> FileResponse:
    # Closed (and so removed by the OS) when the response has been sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    count = write_xlsx(
        handle,
        title=title,
        headers=headers,
        rows=rows,
        exported_by=user.get_full_name() or user.get_username(),
        notes=notes,
    )
    handle.seek(0)
    audit_record(action=AuditAction.EXPORT, actor=user, request=request, detail={**audit_detail, "rows": count})
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(handle, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
