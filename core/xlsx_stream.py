"""A lean streaming reader for the first sheet of an .xlsx (uploads are untrusted input).

openpyxl's read-only mode keeps memory flat but spends ~40 µs on every cell, which caps an
import near 1,000 rows/s. This reader walks the sheet XML with the C expat parser, clears
each row as it goes (flat memory), and borrows openpyxl's date helpers for date cells.
Formula cells come back as FormulaCell so callers can refuse them per cell.
"""

import posixpath
import zipfile
from collections.abc import Iterator

from defusedxml.ElementTree import iterparse  # refuses entity bombs and external entities
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class FormulaCell:
    """Marks a cell that holds a formula (its cached value is not trusted)."""


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + (ord(char) - 64)
        else:
            break
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    with archive.open("xl/workbook.xml") as handle:
        workbook_root = _parse_small(handle)
    pr = workbook_root.find(f"{NS}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheet = workbook_root.find(f"{NS}sheets/{NS}sheet")
    rel_id = sheet.get(f"{REL_NS}id") if sheet is not None else None
    with archive.open("xl/_rels/workbook.xml.rels") as handle:
        rels = _parse_small(handle)
    for rel in rels.iter(f"{PKG_REL_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return path, date1904
    return "xl/worksheets/sheet1.xml", date1904


def _parse_small(handle):
    for _event, element in iterparse(handle, events=("end",)):
        root = element
    return root


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with archive.open("xl/sharedStrings.xml") as handle:
        for _event, element in iterparse(handle, events=("end",)):
            if element.tag == f"{NS}si":
                # Rich text has several runs; phonetic hints (rPh) are not part of the text.
                strings.append("".join(t.text or "" for t in element.iter(f"{NS}t") if not _in_phonetic(element, t)))
                element.clear()
    return strings


def _in_phonetic(si, t) -> bool:
    return any(t in list(rph.iter(f"{NS}t")) for rph in si.findall(f"{NS}rPh"))


def _date_styles(archive: zipfile.ZipFile) -> list[bool]:
    if "xl/styles.xml" not in archive.namelist():
        return []
    with archive.open("xl/styles.xml") as handle:
        root = _parse_small(handle)
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(f"{NS}numFmt")}
    flags = []
    cell_xfs = root.find(f"{NS}cellXfs")
    for xf in cell_xfs.findall(f"{NS}xf") if cell_xfs is not None else []:
        fmt_id = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
        flags.append(is_date_format(code))
    return flags


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return int(value) if value.is_integer() and "E" not in text and "e" not in text else value
    return int(text)


def stream_rows(data_file) -> Iterator[tuple[int, list]]:
    """Yield (row number, [cell values]) of the first sheet; empty cells are None."""
    with zipfile.ZipFile(data_file) as archive:
        sheet_path, date1904 = _first_sheet_path(archive)
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        with archive.open(sheet_path) as handle:
            sheet_data = None
            for event, element in iterparse(handle, events=("start", "end")):
                if event == "start":
                    if element.tag == f"{NS}sheetData":
                        sheet_data = element
                    continue
                if element.tag != f"{NS}row":
                    continue
                yield int(element.get("r")), _row_values(element, strings, date_styles, epoch)
                if sheet_data is not None:
                    sheet_data.clear()  # drop parsed rows: memory stays flat however long the sheet


def _row_values(row, strings, date_styles, epoch) -> list:
    values: list = []
    for position, cell in enumerate(row.findall(f"{NS}c")):
        reference = cell.get("r")
        column = _column_index(reference) if reference else position
        while len(values) <= column:
            values.append(None)
        values[column] = _cell_value(cell, strings, date_styles, epoch)
    return values


def _cell_value(cell, strings, date_styles, epoch):
    if cell.find(f"{NS}f") is not None:
        return FormulaCell()
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{NS}t"))
    value_element = cell.find(f"{NS}v")
    text = value_element.text if value_element is not None else None
    if text is None:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text == "1"
    number = _number(text)
    style = int(cell.get("s", "0"))
    if style < len(date_styles) and date_styles[style]:
        return from_excel(number, epoch=epoch)
    return number
