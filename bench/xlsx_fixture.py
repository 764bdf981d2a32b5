"""A large, valid veteran ledger for the import benchmark (written in streaming mode)."""

import datetime
import random

from openpyxl import Workbook

from grids.models import Grid
from veterans.identity import make_id_number
from veterans.importing import HEADERS


def write_import_file(path: str, rows: int, *, seed: int = 11, region: str = "110105") -> list[str]:
    """`rows` valid rows over the existing grids; returns their ID numbers. Region 110105 (Beijing) keeps clear
    of the Tianjin demo numbers."""
    rng = random.Random(seed)
    codes = list(Grid.objects.values_list("code", flat=True)[:500])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("退役军人")
    sheet.append(HEADERS)
    used = set()
    base = datetime.date(1940, 1, 1)
    for n in range(rows):
        while True:
            birth = base + datetime.timedelta(days=rng.randrange(0, 60 * 365))
            number = make_id_number(region, birth, rng.randrange(500), "M")
            if number not in used:
                used.add(number)
                break
        values = {
            "姓名": "王" + rng.choice("建国志强明华军伟") + rng.choice("东南西北平安林"),
            "公民身份号码": number,
            "联系电话": f"139{n:08d}",
            "现居住地址": f"和平区某路{n % 300}号",
            "网格编码": rng.choice(codes),
            "退役类别": "退役士兵",
            "服役军种": "陆军",
            "入伍时间": datetime.date(birth.year + 18, 3, 1),
            "退役时间": datetime.date(birth.year + 21, 3, 1),
            "中共党员": "是" if n % 3 == 0 else "否",
            "组织关系": "组织关系已转入" if n % 3 == 0 else "",
            "就业状况": "退休",
            "医疗保险": "城镇职工医保",
            "优抚类别": "参战参试人员" if n % 50 == 0 else "",
        }
        sheet.append([values.get(header) for header in HEADERS])
    workbook.save(path)
    return list(used)
