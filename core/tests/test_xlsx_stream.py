"""The streaming .xlsx reader against openpyxl's own reading, and against hostile sheets."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.errors import ApplicationError
from core.sheets.xlsx import iter_sheet_rows
from core.sheets.xlsx_stream import FormulaCell, stream_rows


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_values_match_what_openpyxl_reads():
    rows = [
        ["姓名", "出生日期", "残疾等级", "党员", "电话", "备注"],
        ["张建国", datetime.date(1950, 3, 4), 6, True, "13812345678", None],
        ["李秀英", datetime.datetime(1948, 12, 31, 0, 0), 2.5, False, 13900001111, "有“引号”&<尖括号>"],
        [None, None, None, None, None, "只有备注"],
    ]
    data = _workbook_bytes(rows)
    ours = [values for _number, values in stream_rows(io.BytesIO(data))]
    theirs = [list(r) for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]
    assert [[v for v in row] + [None] * (len(t) - len(row)) for row, t in zip(ours, theirs, strict=True)] == theirs
    assert ours[1][1] == datetime.datetime(1950, 3, 4)  # a date cell comes back as a date


def test_formulas_are_marked_not_trusted():
    data = _workbook_bytes([["姓名", "数"], ["张三", "=1+1"]])
    _header, (_number, row) = list(stream_rows(io.BytesIO(data)))
    assert isinstance(row[1], FormulaCell)


def _replace_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    return target.getvalue()


SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>%s
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>%s</t></is></c><c r="C1" t="inlineStr"><is><r><t>%s</t></r>
<r><t>%s</t></r><rPh><t>%s</t></rPh></is></c></row>
</sheetData></worksheet>"""


def test_inline_rich_text_keeps_runs_and_drops_phonetic_hints_and_gaps_stay_empty():
    data = _replace_sheet(_workbook_bytes([["x"]]), SHEET % (b"", "姓名".encode(), b"Zhang", b"San", b"PHONETIC"))
    [(number, row)] = list(stream_rows(io.BytesIO(data)))
    assert (number, row) == (1, ["姓名", None, "ZhangSan"])


def test_entity_bombs_and_doctypes_are_refused_as_an_unreadable_file():
    bomb = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = _replace_sheet(_workbook_bytes([["x"]]), SHEET % (bomb, b"&b;", b"a", b"b", b"c"))
    with pytest.raises(ApplicationError, match="无法读取Excel文件"):
        list(iter_sheet_rows(data, headers=["姓名"], required=["姓名"]))
