"""Reading and writing the .xlsx ledgers stations exchange, with clear Chinese errors.

Reading is streamed (core.xlsx_stream) so large files keep memory flat.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from core.errors import ApplicationError
from core.xlsx_stream import FormulaCell, stream_rows

__all__ = ["FormulaCell", "RowError", "build_workbook", "cell_text", "iter_sheet_rows", "read_upload"]

# An .xlsx is a zip. What it would inflate to is judged from its directory before anything is
# inflated: the sizes it declares (zipfile inflates a deflated member in bounded steps and never
# past its declared size; bzip2 and LZMA members are inflated a whole read at a time, and Excel
# never writes them), how far each member claims to expand (Apache POI refuses beyond 100:1
# too), and how many members it has (each costs memory just to list).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024  # small parts (styles, a short sheet) may compress better
MAX_MEMBERS = 10_000
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def _not_xlsx() -> ApplicationError:
    return ApplicationError(_("文件不是有效的Excel（.xlsx）文件。"), field="file")


def _check_zip(data: bytes) -> None:
    # Every member has one central directory header: counting their signature bounds the
    # member count before zipfile builds an object per member.
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:
        raise ApplicationError(_("文件包含的部件过多（疑似压缩炸弹），已拒绝。"), field="file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise _not_xlsx() from error
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if any(part not in names for part in REQUIRED_PARTS):
            raise _not_xlsx()
        if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in members):
            raise _not_xlsx()
        if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
            raise ApplicationError(_("文件解压后过大，已拒绝。"), field="file")
        for info in members:
            if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ApplicationError(_("文件压缩比异常（疑似压缩炸弹），已拒绝。"), field="file")


def read_upload(uploaded_file, *, max_bytes: int) -> bytes:
    """The upload's bytes, refused when too large or not an .xlsx by content."""
    if uploaded_file is None:
        raise ApplicationError(_("请选择要上传的文件。"), field="file")
    if uploaded_file.size > max_bytes:
        raise ApplicationError(
            _("文件过大（%(size)s MB），上限为 %(limit)s MB。")
            % {"size": round(uploaded_file.size / 1048576, 1), "limit": max_bytes // 1048576},
            field="file",
        )
    data = uploaded_file.read()
    if not data:
        raise ApplicationError(_("文件是空的。"), field="file")
    _check_zip(data)
    return data


def cell_text(value) -> str:
    """A cell as text: numbers typed into text columns (codes, phones) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def iter_sheet_rows(data: bytes, *, headers: list[str], required: list[str]) -> Iterator[tuple[int, dict]]:
    """Yield (row number, {header: value}) for each non-empty data row of the first sheet.

    Problems with the file as a whole (unreadable, wrong headers, no data rows) raise
    ApplicationError; formula cells come back as FormulaCell for per-row reporting.
    """
    rows = stream_rows(io.BytesIO(data))
    try:
        _number, header_values = next(rows, (None, None))
        if header_values is None:
            raise ApplicationError(_("文件是空的：第一个工作表没有表头。"), field="file")
        found = [cell_text(value) for value in header_values]
        missing = [h for h in required if h not in found]
        if missing:
            raise ApplicationError(
                _("表头不正确，缺少列：%(missing)s。请使用下载的模板。") % {"missing": "、".join(missing)},
                field="file",
            )
        positions = {h: found.index(h) for h in headers if h in found}
        seen_data = False
        for row_number, row in rows:
            values = {h: (row[p] if p < len(row) else None) for h, p in positions.items()}
            if all(v is None or v == "" for v in values.values()):
                continue
            seen_data = True
            yield row_number, values
        if not seen_data:
            raise ApplicationError(_("文件没有数据行。"), field="file")
    except (ParseError, DefusedXmlException, KeyError, zipfile.BadZipFile, ValueError, IndexError) as error:
        raise ApplicationError(_("无法读取Excel文件，请确认是.xlsx格式。"), field="file") from error


def build_workbook(title: str, headers: list[str], rows: list[list], *, notes: list[str] = ()) -> bytes:
    """A one-sheet workbook with a bold header row (used for templates and small exports)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 3)
    if notes:
        help_sheet = workbook.create_sheet(_("填写说明"))
        for line in notes:
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
