"""Importing veteran ledgers from .xlsx: check every row, then write all or nothing.

Both passes stream the sheet (openpyxl read-only), so a 100,000-row file keeps memory flat;
only the ID numbers seen so far are held, to find duplicates inside the file.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.crypto.cipher import id_number_hash
from core.dates import parse_clerk_date
from core.db.bulk import InstanceMaker
from core.errors import ApplicationError
from core.sheets.xlsx import (
    EXACT_DIGITS,
    SAMPLE_MARK,
    FormulaCell,
    RowError,
    SheetLayout,
    build_workbook,
    cell_text,
    code_text,
    iter_sheet_rows,
)
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans.models import (
    KINDS_NEEDING_SOLDIER,
    Branch,
    Employment,
    FamilyRelation,
    Gender,
    MedicalInsurance,
    PartyRelation,
    PersonKind,
    PriorityCare,
    PriorityCategory,
    SoldierStatus,
    SourceSoldier,
    Veteran,
    VeteranType,
    categories_with_kind,
)
from veterans.rules import source_soldier_text
from veterans.services import derive_fields, note_month_only_dates, validate_source_soldier, veteran_problems

MAX_LISTED_ERRORS = 1000
PROGRESS_EVERY = 500

# header -> (model field, kind)
COLUMNS: dict[str, tuple[str, str]] = {
    "姓名": ("name", "text"),
    "公民身份号码": ("id_number", "id"),
    "性别": ("gender", "gender"),
    "民族": ("ethnicity", "text"),
    "出生日期": ("birth_date", "date"),
    "联系电话": ("phone", "phone"),
    "现居住地址": ("residence_address", "text"),
    "户籍地": ("household_registration", "text"),
    "网格编码": ("grid", "grid"),
    "人员类别": ("person_kind", PersonKind),
    "退役类别": ("veteran_type", VeteranType),
    "服役军种": ("branch", Branch),
    "入伍时间": ("enlistment_date", "date"),
    "退役时间": ("discharge_date", "date"),
    "优抚类别": ("categories", "categories"),
    "残疾等级": ("disability_grade", "int"),
    "定期补助": ("receives_regular_subsidy", "bool"),
    "中共党员": ("is_party_member", "bool"),
    "组织关系": ("party_relation", PartyRelation),
    "就业状况": ("employment", Employment),
    "医疗保险": ("medical_insurance", MedicalInsurance),
    "专项特长": ("skills", "text"),
    "服务需求": ("service_needs", "text"),
    "重大疾病": ("serious_illness", "text"),
    "低保": ("minimum_living_allowance", "bool"),
    "特困": ("extreme_poverty", "bool"),
    "建档立卡贫困户": ("registered_poor", "bool"),
    "光荣牌悬挂日期": ("glory_plaque_hung_on", "date"),
    # The soldier a survivor's or family member's file derives from (SourceSoldier).
    "军人姓名": ("soldier.name", "text"),
    "部队": ("soldier.unit", "text"),
    "与军人关系": ("soldier.relation", FamilyRelation),
    "军人状态": ("soldier.status", SoldierStatus),
    "牺牲/病故日期": ("soldier.death_date", "date"),
    "牺牲/病故地点": ("soldier.death_place", "text"),
    "烈士证书编号": ("soldier.certificate_number", "text"),
    "备注": ("notes", "text"),
}
HEADERS = list(COLUMNS)
# 退役类别 is required of veterans only (validate_veteran says so): a roster of survivors
# has no such column.
REQUIRED = ["姓名", "公民身份号码", "网格编码"]
SOLDIER_PREFIX = "soldier."
FIELD_TO_HEADER = {
    field_name.replace(SOLDIER_PREFIX, "soldier_"): header for header, (field_name, _kind) in COLUMNS.items()
} | {"soldier": "军人姓名"}
# Column names stations' own ledgers use for the template's columns.
ALIASES = {
    "身份证号": "公民身份号码", "身份证号码": "公民身份号码", "身份证": "公民身份号码",
    "公民身份证号码": "公民身份号码",
    "电话": "联系电话", "手机": "联系电话", "手机号": "联系电话", "手机号码": "联系电话", "联系方式": "联系电话",
    "居住地址": "现居住地址", "家庭住址": "现居住地址", "现住址": "现居住地址", "户籍所在地": "户籍地",
    "所在网格编码": "网格编码", "军种": "服役军种", "入伍时间（年月）": "入伍时间",
    "退役时间（年月）": "退役时间", "入伍年月": "入伍时间", "退役年月": "退役时间", "党员": "中共党员",
    "优抚对象类别": "人员类别", "烈士姓名": "军人姓名", "军人单位": "部队", "所在部队": "部队",
    "与烈士关系": "与军人关系", "牺牲时间": "牺牲/病故日期", "牺牲日期": "牺牲/病故日期",
    "病故日期": "牺牲/病故日期", "牺牲地点": "牺牲/病故地点", "烈士证编号": "烈士证书编号",
}  # fmt: skip
TEXT_COLUMNS = ("公民身份号码", "联系电话", "网格编码")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
YES = {"是", "有", "Y", "y", "1", "TRUE", "true", "√"}
NO = {"否", "无", "N", "n", "0", "FALSE", "false", ""}


_new_veteran = InstanceMaker(Veteran)


@dataclass
class ParsedRow:
    row: int
    veteran: Veteran | None
    categories: list[tuple[str, int | None]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    soldier: SourceSoldier | None = None
    id_key: str | None = None  # the hash of a valid ID number, even on a row refused otherwise


class GridIndex:
    """The uploader's grids by code, loaded once per import."""

    def __init__(self, user):
        self.by_code: dict[str, list[Grid]] = {}
        for grid in scope_queryset(
            user, Grid.objects.only("id", "code", "name", "community_id", "street_id", "district_id")
        ):
            self.by_code.setdefault(grid.code, []).append(grid)

    def resolve(self, code: str) -> Grid:
        matches = self.by_code.get(code, [])
        if not matches:
            raise ApplicationError(_("网格编码%(code)s不存在或不在您的管辖范围内。") % {"code": code})
        if len(matches) > 1:
            raise ApplicationError(_("网格编码%(code)s对应多个网格，请使用完整编码。") % {"code": code})
        return matches[0]


@lru_cache(maxsize=32)
def _choice_map(enum) -> dict[str, str]:
    # Labels are the Chinese words of the ledger format, whatever the UI language.
    with translation.override("zh-hans"):
        mapping = {str(label): value for value, label in enum.choices}
    return mapping | {value: value for value in enum.values}


def _choice(enum, text: str, header: str) -> str:
    if not text:
        return ""
    value = _choice_map(enum).get(text)
    if value is not None:
        return value
    with translation.override("zh-hans"):
        allowed = "、".join(str(label) for _v, label in enum.choices)
    raise ApplicationError(_("“%(value)s”无效，可填：%(allowed)s。") % {"value": text, "allowed": allowed})


def _date(value) -> datetime.date | None:
    """An Excel date cell, or a date as clerks type it (core.dates); a month stays a month."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and not value.is_integer():
        # "1998.10" typed into a number cell is stored as 1998.1: October or January?
        text = repr(value)
        if len(text.split(".")[1]) != 2:
            raise ApplicationError(
                _("“%(value)s”是数字格式的单元格：1998.10会被存成1998.1，无法分辨月份。请写成1998-10或设为日期格式。")
                % {"value": text}
            )
        return parse_clerk_date(text)
    return parse_clerk_date(cell_text(value))


def _grid_code_ok(digits: str) -> bool:
    return len(digits) <= EXACT_DIGITS  # a number of up to 15 digits is stored exactly


def _phone_ok(digits: str) -> bool:
    return bool(MOBILE.match(digits))  # 11 digits and no leading 0 to lose


def _bool(text: str) -> bool:
    if text in YES:
        return True
    if text in NO:
        return False
    raise ApplicationError(_("“%(value)s”无效，请填“是”或“否”。") % {"value": text})


def _categories(text: str, grade_text: str) -> list[tuple[str, int | None]]:
    result = []
    for part in text.replace(",", "、").replace("，", "、").replace(";", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        value = _choice(PriorityCategory, part, "优抚类别")
        grade = None
        if value == PriorityCategory.DISABLED:
            if not grade_text.isdigit() or not 1 <= int(grade_text) <= 10:
                raise ApplicationError(_("残疾军人须在“残疾等级”列填写1至10。"))
            grade = int(grade_text)
        result.append((value, grade))
    return result


def parse_row(row_number: int, values: dict, grids: GridIndex, today: datetime.date | None = None) -> ParsedRow:
    parsed = ParsedRow(row_number, None)
    fields: dict = {}
    grid = None
    grade_text = cell_text(values.get("残疾等级"))
    for header, (field_name, kind) in COLUMNS.items():
        if header not in values or field_name == "disability_grade":
            continue
        if field_name == "person_kind" and _veteran_type_as_kind(values):
            continue  # an older ledger's 人员类别 column holding the veteran type
        raw = values[header]
        try:
            if isinstance(raw, FormulaCell):
                raise ApplicationError(_("不允许使用公式，请填写数值或文字。"))
            if kind == "date":
                fields[field_name] = _date(raw)
                continue
            if kind == "id":
                text = code_text(raw, label=header)
            elif kind == "phone":
                text = code_text(raw, label=header, numeric_ok=_phone_ok)
            elif kind == "grid":
                text = code_text(raw, label=header, numeric_ok=_grid_code_ok)
            else:
                text = cell_text(raw)
            if header in REQUIRED and not text:
                raise ApplicationError(_("不能为空。"))
            if kind in ("text", "id", "phone"):
                fields[field_name] = text
            elif kind == "gender":
                fields[field_name] = _choice(Gender, text, header)
            elif kind == "bool":
                fields[field_name] = _bool(text)
            elif kind == "grid":
                grid = grids.resolve(text)
            elif kind == "categories":
                parsed.categories = _categories(text, grade_text)
            else:
                fields[field_name] = _choice(kind, text, header)
        except ApplicationError as error:
            parsed.errors.append(RowError(row_number, header, error.message))
    # The record is checked as a whole even when some cells could not be read, so that one
    # upload lists every bad cell; a rule about a column already refused is not asked twice.
    refused = {error.column for error in parsed.errors}
    if not fields.get("person_kind"):
        fields.pop("person_kind", None)  # no 人员类别 (an older template): a veteran
    soldier_fields = {
        name.removeprefix(SOLDIER_PREFIX): fields.pop(name) for name in list(fields) if name.startswith(SOLDIER_PREFIX)
    }
    if _veteran_type_as_kind(values) and not fields.get("veteran_type"):
        fields["veteran_type"] = _choice_map(VeteranType)[cell_text(values["人员类别"])]
    veteran = _new_veteran(**fields)
    note_month_only_dates(veteran, fields)
    if grid is not None:
        veteran.place_in_grid(grid)
    unreadable = {COLUMNS[header][0] for header in refused if header in COLUMNS}
    problems = list(veteran_problems(veteran, today=today, unreadable=unreadable))
    if "人员类别" not in refused:  # which soldier rules apply depends on the kind of person
        try:
            parsed.soldier = _soldier(veteran, soldier_fields, today or timezone.localdate())
        except ApplicationError as error:
            problems.append(error)
    for problem in problems:
        column = FIELD_TO_HEADER.get(problem.field, "")
        if column not in refused:
            refused.add(column)
            parsed.errors.append(RowError(row_number, column, problem.message))
    if parsed.errors:
        if "公民身份号码" not in refused:
            # A row refused for other reasons still claims its ID number: a second row with it
            # is a duplicate within the file all the same.
            parsed.id_key = id_number_hash(veteran.id_number)
        return parsed
    derive_fields(veteran, family_count=0)
    parsed.id_key = veteran.id_number_hash
    parsed.categories = categories_with_kind(veteran.person_kind, parsed.categories)
    parsed.veteran = veteran
    return parsed


def _veteran_type_as_kind(values: dict) -> bool:
    """Ledgers from before the kinds of person used 人员类别 for the veteran type (退役士兵…)."""
    text = cell_text(values.get("人员类别"))
    return bool(text) and text in _choice_map(VeteranType) and text not in _choice_map(PersonKind)


def _soldier(person: Veteran, fields: dict, today: datetime.date) -> SourceSoldier | None:
    """The row's soldier, as veteran_create would check him; none when no soldier column is
    filled (a survivor's or family member's row without him is refused)."""
    if not any(value not in (None, "") for value in fields.values()):
        soldier = None
    elif person.person_kind == PersonKind.VETERAN:
        raise ApplicationError(_("退役军人的档案不填写来源军人；如为遗属或军属，请填写人员类别。"), field="soldier")
    else:
        soldier = SourceSoldier(**{name: value for name, value in fields.items() if value is not None})
        validate_source_soldier(person, soldier, today=today)
    if person.person_kind in KINDS_NEEDING_SOLDIER and soldier is None:
        raise ApplicationError(
            _("%(kind)s须填写军人姓名、与军人关系等来源军人信息。") % {"kind": person.get_person_kind_display()},
            field="soldier",
        )
    return soldier


def soldier_stage(soldier: SourceSoldier | None) -> dict | None:
    """What the staging file keeps of a row's soldier: his columns, and how history reads him."""
    if soldier is None:
        return None
    names = ("name", "unit", "relation", "status", "death_date", "death_place", "certificate_number")
    return {"fields": {name: getattr(soldier, name) for name in names}, "text": source_soldier_text(soldier)}


def iter_parsed(data: bytes, user, layout: SheetLayout | None = None) -> Iterator[ParsedRow]:
    grids = GridIndex(user)
    today = timezone.localdate()
    rows = iter_sheet_rows(data, headers=HEADERS, required=REQUIRED, aliases=ALIASES, layout=layout)
    for row_number, values in rows:
        yield parse_row(row_number, values, grids, today)


def progress_key(import_id: int) -> str:
    return f"veterans-import-progress:{import_id}"


def report_progress(import_id: int, phase: str, done: int, total: int | None = None) -> None:
    cache.set(progress_key(import_id), {"phase": phase, "done": done, "total": total}, timeout=3600)


def read_progress(import_id: int) -> dict | None:
    return cache.get(progress_key(import_id))


def care_rows_for(veteran: Veteran, categories: list[tuple[str, int | None]]) -> list[PriorityCare]:
    return [PriorityCare(veteran=veteran, category=c, disability_grade=g) for c, g in categories]


def import_template() -> bytes:
    """The ledger template: a 序号 column before the columns the import reads, and one sample
    row marked 示例 (in 序号 and in 备注) that the import skips, so an unchanged template
    imports no one."""
    example = [
        SAMPLE_MARK,
        "张建国",
        "120101195003040254",
        "",
        "汉族",
        "",
        "13812345678",
        "和平区朝阳里3号楼2门101",
        "天津市和平区",
        "120101001001001",
        "退役军人",
        "退役士兵",
        "陆军",
        datetime.date(1968, 3, 1),
        datetime.date(1973, 1, 1),
        "残疾军人、参战参试人员",
        6,
        "否",
        "是",
        "组织关系已转入",
        "退休",
        "城镇职工医保",
        "驾驶",
        "上门体检",
        "",
        "否",
        "否",
        "否",
        datetime.date(2019, 8, 1),
        *[""] * 7,  # the soldier's columns: for survivors and soldiers' families
        SAMPLE_MARK,
    ]
    notes = [
        _("表头的列名请勿修改；每行一名服务对象。必填列：姓名、公民身份号码、网格编码；退役军人还须填写退役类别。"),
        _("第2行是示例（序号和备注为“示例”），导入时会跳过；请从第3行起填写，也可删除示例行。"),
        _("人员类别留空即为退役军人。可填：") + "、".join(str(label) for _v, label in PersonKind.choices),
        _(
            "烈士遗属、因公牺牲军人遗属、病故军人遗属、现役军人家属须填写其来源军人：军人姓名、与军人关系，"
            "以及部队、牺牲/病故日期和地点、烈士证书编号（仅烈士）；军人状态留空则按人员类别填写。"
            "服役军种、入伍时间、退役时间只适用于退役军人。"
        ),
        _("与军人关系可填：") + "、".join(str(label) for _v, label in FamilyRelation.choices),
        _("性别和出生日期可留空，系统按身份证号填写；填写时必须与身份证号一致。"),
        _("身份证号、联系电话、网格编码列已设为文本格式，请勿改为数字格式：数字格式只保留15位有效数字，号码会被改变。"),
        _(
            "日期可用Excel日期格式，也可写成 1998-12-01、1998/12/01、1998.12.01、1998年12月1日、19981201；"
            "只知道年月时写 1998-12、1998.12 或 1998年12月。不允许使用公式。"
        ),
        _("表头上方可以有标题行，表格中可以有序号等其他列，导入时会忽略并在预览中列出。"),
        _("是/否列填写“是”或“否”。优抚类别可填多个，用顿号分隔；残疾军人须填写残疾等级（1至10）。"),
        _("退役类别可填：") + "、".join(str(label) for _v, label in VeteranType.choices),
        _("服役军种可填：") + "、".join(str(label) for _v, label in Branch.choices),
        _("优抚类别可填：") + "、".join(str(label) for _v, label in PriorityCategory.choices),
        _("组织关系可填：") + "、".join(str(label) for _v, label in PartyRelation.choices),
        _("就业状况可填：") + "、".join(str(label) for _v, label in Employment.choices),
        _("医疗保险可填：") + "、".join(str(label) for _v, label in MedicalInsurance.choices),
        _("校验后可确认导入正确的行；有错误或重复的行不会写入，会逐行列出原因，改正后另行上传即可。"),
    ]
    headers = [_("序号"), *HEADERS]  # 序号 is not read: numbering is the clerk's own
    return build_workbook(_("退役军人"), headers, [example], notes=notes, text_columns=TEXT_COLUMNS)
