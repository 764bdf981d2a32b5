"""Import home positions from .xlsx: a person (ID number or file number) and two columns, lon and
lat. Every row is checked; nothing is written unless all rows are good."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from core.crypto.cipher import id_number_hash
from core.errors import ApplicationError
from core.sheets.xlsx import FormulaCell, RowError, build_workbook, cell_text, code_text, iter_sheet_rows, read_upload
from grids.scoping import require_actor, scope_queryset
from maps.homes import degrees, homes_place_many
from maps.models import HomeSource
from veterans.models import Veteran

H_ID, H_FILE, H_LON, H_LAT = "公民身份号码", "档案编号", "经度", "纬度"
HEADERS = [H_ID, H_FILE, H_LON, H_LAT]
MAX_ROWS = 20_000


@dataclass
class HomeImportReport:
    rows: int = 0
    stored: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def homes_import_template() -> bytes:
    notes = [
        _("每行一人：填写公民身份号码或档案编号（其一即可），以及住址的经度、纬度（CGCS2000/WGS84，十进制度）。"),
        _("整个文件全部正确才会导入，有任何错误都不会写入。"),
    ]
    example = [["120101196903120369", "", "117.200123", "39.130456"]]
    return build_workbook(_("住址定位"), HEADERS, example, notes=notes, text_columns=(H_ID, H_FILE))


def _person(values: dict, people, row: int, errors: list) -> Veteran | None:
    try:
        id_number = code_text(values.get(H_ID), label=H_ID)
        file_number = cell_text(values.get(H_FILE))
    except ApplicationError as error:
        errors.append(RowError(row, H_ID, error.message))
        return None
    if id_number:
        found = people.filter(id_number_hash=id_number_hash(id_number)).first()
        column = H_ID
    elif file_number.isdigit():
        found = people.filter(pk=int(file_number)).first()
        column = H_FILE
    else:
        errors.append(RowError(row, H_ID, _("请填写公民身份号码或档案编号。")))
        return None
    if found is None:
        errors.append(RowError(row, column, _("在您管辖范围内的在册人员中找不到此人。")))
    return found


def _coordinate(values: dict, header: str, low: int, high: int, row: int, errors: list) -> Decimal | None:
    value = values.get(header)
    if isinstance(value, FormulaCell) or value in (None, ""):
        errors.append(RowError(row, header, _("请填写%(label)s（数值，不要用公式）。") % {"label": header}))
        return None
    try:
        number = degrees(value, field=header, label=header)
    except ApplicationError as error:
        errors.append(RowError(row, header, error.message))
        return None
    if not low <= number <= high:
        errors.append(
            RowError(
                row, header, _("%(label)s应在 %(low)s 到 %(high)s 之间。") % {"label": header, "low": low, "high": high}
            )
        )
        return None
    return number


def homes_import(*, uploaded_file, acting_user) -> HomeImportReport:
    require_actor(acting_user)
    if not acting_user.has_perm("maps.change_homeposition"):
        raise ApplicationError(_("您没有维护住址定位的权限。"), code="forbidden")
    data = read_upload(uploaded_file, max_bytes=settings.AREA_UPLOAD_MAX_BYTES)
    people = scope_queryset(acting_user, Veteran.objects.filter(removed_at__isnull=True)).select_related("grid")
    report, good, seen = HomeImportReport(), [], {}
    for row, values in iter_sheet_rows(data, headers=HEADERS, required=[H_LON, H_LAT]):
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(RowError(row, "", _("行数超过上限 %(max)s 行，请分批导入。") % {"max": MAX_ROWS}))
            break
        veteran = _person(values, people, row, report.errors)
        longitude = _coordinate(values, H_LON, -180, 180, row, report.errors)
        latitude = _coordinate(values, H_LAT, -90, 90, row, report.errors)
        if veteran is not None and veteran.pk in seen:
            report.errors.append(RowError(row, H_ID, _("与第 %(row)s 行是同一人。") % {"row": seen[veteran.pk]}))
        elif veteran is not None and longitude is not None and latitude is not None:
            seen[veteran.pk] = row
            good.append((veteran, longitude, latitude))
    if report.errors or not good:
        if not report.errors:
            report.errors.append(RowError(0, "", _("文件中没有数据行。")))
        return report
    report.stored = homes_place_many(
        positions=good,
        source=HomeSource.IMPORT,
        acting_user=acting_user,
        detail={"kind": "home_positions", "file": getattr(uploaded_file, "name", "")},
    )
    return report
