"""Upload an area tree from .xlsx: validate every row, then create all or nothing."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from core.sheets.xlsx import (
    EXACT_DIGITS,
    FormulaCell,
    RowError,
    build_workbook,
    cell_text,
    code_text,
    iter_sheet_rows,
    read_upload,
)
from grids.models import AREA_MODELS, PARENT_LEVEL, AreaLevel, code_validator, phone_validator
from grids.scoping import in_scope, require_actor
from grids.services import STATION_FIELDS, copy_ancestor_keys

H_LEVEL, H_CODE, H_NAME, H_PARENT = "层级", "编码", "名称", "上级编码"
H_STATION, H_ADDRESS, H_PHONE = "服务站名称", "服务站地址", "服务站电话"
HEADERS = [H_LEVEL, H_CODE, H_NAME, H_PARENT, H_STATION, H_ADDRESS, H_PHONE]
REQUIRED_HEADERS = [H_LEVEL, H_CODE, H_NAME, H_PARENT]
MAX_ROWS = 50_000

LEVEL_WORDS = {
    "区": AreaLevel.DISTRICT,
    "县": AreaLevel.DISTRICT,
    "区/县": AreaLevel.DISTRICT,
    "街道": AreaLevel.STREET,
    "镇": AreaLevel.STREET,
    "街道/镇": AreaLevel.STREET,
    "社区": AreaLevel.COMMUNITY,
    "村": AreaLevel.COMMUNITY,
    "社区/村": AreaLevel.COMMUNITY,
    "网格": AreaLevel.GRID,
}
LEVEL_ORDER = [AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID]
PARENT_FIELD = {
    AreaLevel.STREET: "district",
    AreaLevel.COMMUNITY: "street",
    AreaLevel.GRID: "community",
}
TEXT_LIMITS = {H_NAME: 100, H_STATION: 100, H_ADDRESS: 200}


@dataclass
class AreaRow:
    row: int
    level: str | None
    code: str
    name: str
    parent_code: str
    station: dict
    parent_row: "AreaRow | None" = None
    parent_area: object = None
    has_error: bool = False


@dataclass
class AreaImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Checker:
    def __init__(self, report: AreaImportReport):
        self.report = report

    def fail(self, row: AreaRow, column: str, message: str) -> None:
        row.has_error = True
        self.report.errors.append(RowError(row.row, column, message))


def area_import_template() -> bytes:
    example = [
        ["区/县", "120101", "和平区", "", "和平区退役军人服务中心", "和平区南京路1号", "022-12345678"],
        ["街道/镇", "120101001", "劝业场街道", "120101", "劝业场街道退役军人服务站", "", ""],
        ["社区/村", "120101001001", "朝阳里社区", "120101001", "朝阳里社区退役军人服务站", "", ""],
        ["网格", "120101001001001", "朝阳里第一网格", "120101001001", "", "", ""],
    ]
    notes = [
        _("每行一个区域。层级填写：区/县、街道/镇、社区/村、网格。"),
        _("编码在同一上级下必须唯一；上级编码填写上一层级区域的编码（区/县不填）。"),
        _("上级可以是本文件中的行，也可以是系统中已有的区域。"),
        _("同一上级下名称不能重复。整个文件全部正确才会导入，有任何错误都不会写入。"),
    ]
    return build_workbook(_("区域"), HEADERS, example, notes=notes, text_columns=(H_CODE, H_PARENT, H_PHONE))


def _exact_code(digits: str) -> bool:
    return len(digits) <= EXACT_DIGITS


def _parse_rows(data: bytes, checker: _Checker) -> list[AreaRow]:
    rows: list[AreaRow] = []
    for row_number, values in iter_sheet_rows(data, headers=HEADERS, required=REQUIRED_HEADERS):
        if len(rows) >= MAX_ROWS:
            checker.report.errors.append(
                RowError(row_number, "", _("行数超过上限 %(max)s 行，请分批导入。") % {"max": MAX_ROWS})
            )
            break
        row = AreaRow(row_number, None, "", "", "", {})
        for header, value in values.items():
            if isinstance(value, FormulaCell):
                checker.fail(row, header, _("不允许使用公式，请填写数值或文字。"))
                values[header] = ""
        text = {h: cell_text(values.get(h)) for h in HEADERS}
        for header in (H_CODE, H_PARENT):
            try:
                text[header] = code_text(values.get(header), label=header, numeric_ok=_exact_code)
            except ApplicationError as error:
                checker.fail(row, header, error.message)
                text[header] = ""
        row.code, row.name, row.parent_code = text[H_CODE], text[H_NAME], text[H_PARENT]
        row.station = {
            "station_name": text[H_STATION],
            "station_address": text[H_ADDRESS],
            "station_phone": text[H_PHONE],
        }
        row.level = LEVEL_WORDS.get(text[H_LEVEL])
        if row.level is None:
            checker.fail(
                row,
                H_LEVEL,
                _("层级“%(value)s”无效，应为：区/县、街道/镇、社区/村、网格。") % {"value": text[H_LEVEL]},
            )
        _check_text(row, text, checker)
        rows.append(row)
    checker.report.rows = len(rows)
    return rows


def _check_text(row: AreaRow, text: dict, checker: _Checker) -> None:
    if not row.code:
        checker.fail(row, H_CODE, _("编码不能为空。"))
    else:
        try:
            code_validator(row.code)
        except ValidationError as error:
            checker.fail(row, H_CODE, " ".join(error.messages))
    if not row.name:
        checker.fail(row, H_NAME, _("名称不能为空。"))
    for header, limit in TEXT_LIMITS.items():
        if len(text[header]) > limit:
            checker.fail(row, header, _("内容过长，最多 %(limit)s 个字。") % {"limit": limit})
    if text[H_PHONE]:
        try:
            phone_validator(text[H_PHONE])
        except ValidationError as error:
            checker.fail(row, H_PHONE, " ".join(error.messages))
    if row.level == AreaLevel.DISTRICT and row.parent_code:
        checker.fail(row, H_PARENT, _("区/县是最高层级，上级编码应为空。"))
    if row.level not in (None, AreaLevel.DISTRICT) and not row.parent_code:
        checker.fail(row, H_PARENT, _("上级编码不能为空。"))


def _resolve_parents(rows: list[AreaRow], checker: _Checker, acting_user) -> None:
    """Find each row's parent in the file or the database, at exactly the level above."""
    in_file: dict[tuple[str, str], list[AreaRow]] = defaultdict(list)
    for row in rows:
        if row.level and row.code:
            in_file[(row.level, row.code)].append(row)
    wanted_codes = {row.parent_code for row in rows if row.parent_code}
    in_db: dict[tuple[str, str], list] = defaultdict(list)
    for level, model in AREA_MODELS.items():
        for area in model.objects.filter(code__in=wanted_codes):
            in_db[(level, area.code)].append(area)
    for row in rows:
        if row.level in (None, AreaLevel.DISTRICT) or not row.parent_code:
            continue
        expected = PARENT_LEVEL[row.level]
        file_matches = in_file.get((expected, row.parent_code), [])
        db_matches = in_db.get((expected, row.parent_code), [])
        if len(file_matches) + len(db_matches) == 0:
            other = [lvl for lvl in LEVEL_ORDER if (lvl, row.parent_code) in in_file or (lvl, row.parent_code) in in_db]
            if other:
                checker.fail(
                    row,
                    H_PARENT,
                    _("上级编码 %(code)s 是%(actual)s，%(level)s的上级必须是%(expected)s。")
                    % {
                        "code": row.parent_code,
                        "actual": AreaLevel(other[0]).label,
                        "level": AreaLevel(row.level).label,
                        "expected": AreaLevel(expected).label,
                    },
                )
            else:
                checker.fail(row, H_PARENT, _("上级编码 %(code)s 不存在。") % {"code": row.parent_code})
        elif len(file_matches) + len(db_matches) > 1:
            checker.fail(row, H_PARENT, _("上级编码 %(code)s 对应多个区域，无法确定上级。") % {"code": row.parent_code})
        elif file_matches:
            row.parent_row = file_matches[0]
        else:
            parent = db_matches[0]
            if not in_scope(acting_user, parent):
                checker.fail(row, H_PARENT, _("上级“%(name)s”不在您的管辖范围内。") % {"name": parent.name})
            else:
                row.parent_area = parent
    may_add_districts = acting_user.has_perm("grids.add_district")
    for row in rows:
        if row.level == AreaLevel.DISTRICT and not may_add_districts:
            checker.fail(row, H_LEVEL, _("您没有新增区/县的权限。"))


def _check_parent_rows(rows: list[AreaRow], checker: _Checker) -> None:
    # A child of a bad row cannot be created either; say so instead of staying silent.
    for row in LEVEL_ORDER[1:]:
        for item in rows:
            if item.level == row and item.parent_row is not None and item.parent_row.has_error:
                checker.fail(
                    item,
                    H_PARENT,
                    _("上级（第 %(row)s 行）有错误，本行无法导入。") % {"row": item.parent_row.row},
                )


def _check_duplicates(rows: list[AreaRow], checker: _Checker) -> None:
    """Codes and names unique among siblings, within the file and against existing areas."""
    seen: dict[tuple, AreaRow] = {}
    db_parents: dict[str, set] = defaultdict(set)
    for row in rows:
        if row.level is None:
            continue
        parent_key = ("row", row.parent_row.row) if row.parent_row else ("db", getattr(row.parent_area, "pk", None))
        for kind, value, header in (("code", row.code, H_CODE), ("name", row.name, H_NAME)):
            key = (row.level, parent_key, kind, value)
            if value and key in seen:
                checker.fail(
                    row,
                    header,
                    _("与第 %(row)s 行重复：同一上级下%(what)s“%(value)s”已出现。")
                    % {"row": seen[key].row, "what": header, "value": value},
                )
            elif value:
                seen[key] = row
        if row.parent_area is not None:
            db_parents[row.level].add(row.parent_area.pk)
    existing = _existing_siblings(db_parents, any(r.level == AreaLevel.DISTRICT for r in rows))
    for row in rows:
        if row.level is None or row.parent_row is not None:
            continue
        if row.level != AreaLevel.DISTRICT and row.parent_area is None:
            continue
        parent_pk = None if row.level == AreaLevel.DISTRICT else row.parent_area.pk
        for kind, value, header in (("code", row.code, H_CODE), ("name", row.name, H_NAME)):
            if (row.level, parent_pk, kind, value) in existing:
                checker.fail(
                    row,
                    header,
                    _("%(what)s“%(value)s”在该上级下已存在。") % {"what": header, "value": value},
                )


def _existing_siblings(db_parents: dict[str, set], with_districts: bool) -> set:
    existing = set()
    if with_districts:
        for code, name in AREA_MODELS[AreaLevel.DISTRICT].objects.values_list("code", "name"):
            existing.add((AreaLevel.DISTRICT, None, "code", code))
            existing.add((AreaLevel.DISTRICT, None, "name", name))
    for level, parent_ids in db_parents.items():
        parent_field = PARENT_FIELD[level]
        children = AREA_MODELS[level].objects.filter(**{f"{parent_field}_id__in": parent_ids})
        for parent_id, code, name in children.values_list(f"{parent_field}_id", "code", "name"):
            existing.add((level, parent_id, "code", code))
            existing.add((level, parent_id, "name", name))
    return existing


def _create(rows: list[AreaRow]) -> dict[str, int]:
    created_by_row: dict[int, object] = {}
    counts = {}
    for level in LEVEL_ORDER:
        model = AREA_MODELS[level]
        batch = []
        level_rows = [row for row in rows if row.level == level]
        for row in level_rows:
            area = model(code=row.code, name=row.name)
            for station_field in STATION_FIELDS:
                if hasattr(area, station_field):
                    setattr(area, station_field, row.station[station_field])
            parent = created_by_row[row.parent_row.row] if row.parent_row else row.parent_area
            if parent is not None:
                copy_ancestor_keys(area, parent)
            batch.append(area)
        model.objects.bulk_create(batch, batch_size=1000)
        for row, area in zip(level_rows, batch, strict=True):
            created_by_row[row.row] = area
        counts[level] = len(batch)
    return counts


def area_tree_import(*, uploaded_file, acting_user) -> AreaImportReport:
    """Check every row; create everything only if no row has an error."""
    require_actor(acting_user)
    report = AreaImportReport()
    data = read_upload(uploaded_file, max_bytes=settings.AREA_UPLOAD_MAX_BYTES)
    checker = _Checker(report)
    rows = _parse_rows(data, checker)
    _resolve_parents(rows, checker, acting_user)
    _check_parent_rows(rows, checker)
    _check_duplicates(rows, checker)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    with transaction.atomic():
        report.created = _create(rows)
        audit_record(
            action=AuditAction.IMPORT,
            actor=acting_user,
            detail={
                "kind": "area_tree",
                "file": getattr(uploaded_file, "name", ""),
                "created": report.created,
            },
        )
    return report
