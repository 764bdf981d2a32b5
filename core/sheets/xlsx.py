"""Reading and writing the .xlsx ledgers stations exchange, with clear Chinese errors.

Reading is streamed (core.sheets.xlsx_stream) so large files keep memory flat.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from core.errors import ApplicationError
from core.normalize import plain, plain_code
from core.sheets.xlsx_stream import FormulaCell, stream_rows

__all__ = [
    "FormulaCell", "RowError", "SheetLayout", "build_workbook", "cell_text", "code_text", "iter_sheet_rows",
    "read_upload",
]  # fmt: skip

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


# Excel keeps a number as a double: 15 significant digits. An 18-digit ID typed into a number
# cell is stored rounded (120101196903120369 → 1.20101196903120E+17 → ...120000), a different
# and possibly valid number, and a leading 0 is dropped. Such a cell can never be trusted.
EXACT_DIGITS = 15
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?E[+-]?\d+$")


def _as_excel_shows(value) -> str:
    if isinstance(value, float) or abs(value) >= 10**EXACT_DIGITS:
        return f"{float(value):.14E}"
    return str(value)


def code_text(value, *, label: str, numeric_ok=None) -> str:
    """A long code (ID number, phone, area code) as the clerk typed it, or a refusal.

    A number cell is refused unless `numeric_ok(digits)` says its digits cannot have been
    changed (an 11-digit mobile number, a code of at most 15 digits); scientific notation in
    text (a pasted number) is always refused. Full-width characters are made plain.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ApplicationError(_("%(label)s不能是“是/否”。") % {"label": label})
    if isinstance(value, int | float):
        digits = str(int(value)) if float(value).is_integer() and abs(value) < 10**EXACT_DIGITS else ""
        if not digits or numeric_ok is None or not numeric_ok(digits):
            raise _numeric_cell_error(label, _as_excel_shows(value))
        return digits
    text = plain_code(str(value))
    if SCIENTIFIC.match(text):
        raise _numeric_cell_error(label, text)
    return text


def _numeric_cell_error(label: str, seen: str) -> ApplicationError:
    return ApplicationError(
        _(
            "%(label)s存放在数字格式的单元格中（读到的是%(seen)s）：Excel只保留15位有效数字，长号码的末几位会变成0、"
            "开头的0会丢失，号码可能已被改变。请把该列设为“文本”格式，再重新输入完整号码。"
        )
        % {"label": label, "seen": seen}
    )


def header_word(value) -> str:
    """A header cell as a column name: plain, without spaces, line breaks or a required mark."""
    return plain_code(cell_text(value)).lstrip("*＊").replace("(", "（").replace(")", "）")


HEADER_SEARCH_ROWS = 10


@dataclass
class SheetLayout:
    """Where the header was found and what was set aside, for the preview."""

    header_row: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    note_rows: list[int] = field(default_factory=list)
    sample_rows: list[int] = field(default_factory=list)


# A template's sample row carries this word in a cell of its own (序号, 备注): it shows how to
# fill the sheet and is never data, even in a template uploaded unchanged. A whole cell, not a
# word inside one, so that no one's real data is taken for it (and it is cheap to look for).
SAMPLE_MARK = "示例"

# A row that holds only one value in a known column and reads like this is a remark below or
# between the data (注：…, 填表人：…, 合计), not a person missing every other column.
NOTE_PREFIXES = ("注", "备注", "说明", "填表", "制表", "审核", "负责人", "联系人", "合计", "总计", "小计", "单位")


def _is_note(values: dict, raw_row: list) -> bool:
    filled = [v for v in raw_row if v is not None and v != ""]
    if len(filled) != 1:
        return False
    known = [v for v in values.values() if v is not None and v != ""]
    if not known:
        return True
    return isinstance(known[0], str) and plain(known[0]).startswith(NOTE_PREFIXES)


def _find_header(rows, headers: list[str], required: list[str], aliases: dict[str, str]):
    """(row number, column → header) of the first row among the first rows that names every
    required column; titles (often merged) and notes above it are passed over."""
    best: tuple[int, list[str]] | None = None
    for _index in range(HEADER_SEARCH_ROWS):
        number, values = next(rows, (None, None))
        if values is None:
            break
        words = [header_word(v) for v in values]
        names = [aliases.get(w, w) for w in words]
        missing = [h for h in required if h not in names]
        if not missing:
            positions, ignored = {}, []
            for position, (word, name) in enumerate(zip(words, names, strict=True)):
                if name in headers and name not in positions:
                    positions[name] = position
                elif word:
                    ignored.append(word)
            return number, positions, ignored
        if any(names) and (best is None or len(missing) < len(best[1])):
            best = (number, missing)
    if best is None:
        raise ApplicationError(_("文件是空的：第一个工作表没有表头。"), field="file")
    raise ApplicationError(
        _("表头不正确：在前%(rows)s行中没有找到表头，最接近的第%(row)s行缺少列：%(missing)s。请使用下载的模板。")
        % {"rows": HEADER_SEARCH_ROWS, "row": best[0], "missing": "、".join(best[1])},
        field="file",
    )


def iter_sheet_rows(
    data: bytes,
    *,
    headers: list[str],
    required: list[str],
    aliases: dict[str, str] | None = None,
    layout: SheetLayout | None = None,
) -> Iterator[tuple[int, dict]]:
    """Yield (row number as Excel shows it, {header: value}) for each data row of the first sheet.

    The header is the first of the first rows that names every required column (a title above
    it is skipped); unknown columns (序号…) are ignored; rows with no value in a known column,
    lone remarks and a template's sample rows (a cell reading SAMPLE_MARK) are skipped.
    `layout`, if given, is filled with what was found.
    Problems with the file as a whole raise ApplicationError; formula cells come back as
    FormulaCell for per-row reporting.
    """
    layout = layout if layout is not None else SheetLayout()
    rows = stream_rows(io.BytesIO(data))
    try:
        layout.header_row, positions, layout.ignored_columns = _find_header(rows, headers, required, aliases or {})
        seen_data = False
        for row_number, row in rows:
            values = {h: (row[p] if p < len(row) else None) for h, p in positions.items()}
            if all(v is None or v == "" for v in values.values()):
                continue
            if SAMPLE_MARK in row:
                layout.sample_rows.append(row_number)
                continue
            if _is_note(values, row):
                layout.note_rows.append(row_number)
                continue
            seen_data = True
            yield row_number, values
        if not seen_data and layout.sample_rows:
            raise ApplicationError(
                _("模板中只有示例行，没有可导入的数据。请从示例行的下一行起逐行填写，再上传。"), field="file"
            )
        if not seen_data:
            raise ApplicationError(_("文件没有数据行。"), field="file")
    except (ParseError, DefusedXmlException, KeyError, zipfile.BadZipFile, ValueError, IndexError) as error:
        raise ApplicationError(_("无法读取Excel文件，请确认是.xlsx格式。"), field="file") from error


def build_workbook(
    title: str, headers: list[str], rows: list[list], *, notes: list[str] = (), text_columns: tuple[str, ...] = ()
) -> bytes:
    """A one-sheet workbook with a bold header row (used for templates and small exports).

    `text_columns` are formatted as text down the whole column, so long numbers typed there
    later keep every digit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append([str(v) if headers[i] in text_columns and v is not None else v for i, v in enumerate(row)])
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(header) * 3)
        if header in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
            for cell in sheet[letter][1:]:
                cell.number_format = "@"
    if notes:
        help_sheet = workbook.create_sheet(_("填写说明"))
        for line in notes:
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
