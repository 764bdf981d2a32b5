import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from veterans.importing import HEADERS


def veteran_row(**values) -> dict:
    row = {
        "姓名": "张建国",
        "公民身份号码": "",
        "网格编码": "",
        "退役类别": "退役士兵",
        "联系电话": "13812345678",
        "入伍时间": datetime.date(1968, 3, 1),
        "退役时间": datetime.date(1973, 1, 1),
        "中共党员": "否",
    }
    row.update(values)
    return row


def xlsx_file(rows: list[dict], headers=HEADERS, name="veterans.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def read_xlsx(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
