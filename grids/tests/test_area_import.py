import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.area_import import HEADERS, area_import_template, area_tree_import
from grids.models import Community, District, Grid, Role, Street
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("areas.xlsx", buffer.getvalue())


GOOD_ROWS = [
    ["区/县", "120101", "和平区", "", "和平区退役军人服务中心", "南京路1号", "022-12345678"],
    ["街道/镇", "120101001", "劝业场街道", "120101", "劝业场街道退役军人服务站", "", ""],
    ["社区/村", "120101001001", "朝阳里社区", "120101001", "", "", ""],
    ["网格", "120101001001001", "朝阳里第一网格", "120101001001", "", "", ""],
    ["网格", "120101001001002", "朝阳里第二网格", "120101001001", "", "", ""],
]


def counts():
    return (District.objects.count(), Street.objects.count(), Community.objects.count(), Grid.objects.count())


def test_good_file_creates_the_whole_tree_with_ancestor_keys(db):
    report = area_tree_import(uploaded_file=xlsx(GOOD_ROWS), acting_user=SYSTEM)
    assert report.ok, report.errors
    assert counts() == (1, 1, 1, 2)
    grid = Grid.objects.get(code="120101001001002")
    assert grid.community.name == "朝阳里社区"
    assert grid.street.name == "劝业场街道"
    assert grid.district.station_phone == "022-12345678"
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_rows_may_hang_under_existing_areas(db):
    area_tree_import(uploaded_file=xlsx(GOOD_ROWS[:3]), acting_user=SYSTEM)
    report = area_tree_import(uploaded_file=xlsx([["网格", "009", "新网格", "120101001001"]]), acting_user=SYSTEM)
    assert report.ok, report.errors
    assert Grid.objects.get(code="009").district.code == "120101"


def test_wrong_level_parent_is_reported_and_nothing_written(db):
    rows = [*GOOD_ROWS, ["网格", "120101001001003", "错层网格", "120101001"]]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    assert not report.ok
    [error] = report.errors
    assert (error.row, error.column) == (7, "上级编码")
    assert "街道/镇" in error.message and "社区/村" in error.message
    assert counts() == (0, 0, 0, 0)


def test_duplicate_code_under_one_parent_is_reported_with_both_rows(db):
    rows = [*GOOD_ROWS, ["网格", "120101001001001", "另一个网格", "120101001001"]]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    [error] = report.errors
    assert error.row == 7 and error.column == "编码"
    assert "第 5 行" in error.message
    assert counts() == (0, 0, 0, 0)


def test_duplicate_sibling_name_is_refused(db):
    rows = [*GOOD_ROWS, ["网格", "120101001001009", "朝阳里第一网格", "120101001001"]]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    assert [(e.row, e.column) for e in report.errors] == [(7, "名称")]


def test_code_existing_in_database_is_a_duplicate(db):
    area_tree_import(uploaded_file=xlsx(GOOD_ROWS), acting_user=SYSTEM)
    report = area_tree_import(
        uploaded_file=xlsx([["网格", "120101001001001", "新名字", "120101001001"]]), acting_user=SYSTEM
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "编码")]
    assert Grid.objects.count() == 2


def test_every_bad_row_is_listed_with_column_and_reason(db):
    rows = [
        ["省", "1", "某省", ""],
        ["街道/镇", "", "无编码街道", "120101"],
        ["社区/村", "C1", "", "999999"],
        ["网格", "G1", "孤儿网格", ""],
        ["区/县", "120199", "有上级的区", "120101"],
    ]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    found = {(e.row, e.column) for e in report.errors}
    assert {(2, "层级"), (3, "编码"), (4, "名称"), (4, "上级编码"), (5, "上级编码"), (6, "上级编码")} <= found
    assert all(e.message for e in report.errors)
    assert counts() == (0, 0, 0, 0)


def test_child_of_a_bad_row_says_why_it_cannot_be_created(db):
    rows = [
        ["区/县", "120101", "和平区", ""],
        ["街道/镇", "001", "", "120101"],
        ["社区/村", "001", "社区", "001"],
    ]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    assert any(e.row == 4 and "第 3 行" in e.message for e in report.errors)


def test_formula_cells_are_refused(db):
    rows = [["区/县", "120101", '=CONCAT("和","平")', ""]]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    assert any((e.row, e.column) == (2, "名称") and "公式" in e.message for e in report.errors)
    assert District.objects.count() == 0


def test_not_an_xlsx_is_refused_with_a_clear_message(db):
    fake = SimpleUploadedFile("areas.xlsx", "层级,编码\n区,1\n".encode())
    with pytest.raises(ApplicationError, match="不是有效的Excel"):
        area_tree_import(uploaded_file=fake, acting_user=SYSTEM)
    assert counts() == (0, 0, 0, 0)


def test_wrong_headers_name_the_missing_columns(db):
    with pytest.raises(ApplicationError, match="缺少列：上级编码"):
        area_tree_import(
            uploaded_file=xlsx([["区/县", "1", "区"]], headers=["层级", "编码", "名称"]), acting_user=SYSTEM
        )


def test_empty_sheet_is_refused(db):
    with pytest.raises(ApplicationError, match="没有数据行"):
        area_tree_import(uploaded_file=xlsx([]), acting_user=SYSTEM)


def test_numbers_typed_as_numbers_are_read_as_codes(db):
    rows = [["区/县", 120101, "和平区", ""], ["街道/镇", 1, "劝业场街道", 120101]]
    report = area_tree_import(uploaded_file=xlsx(rows), acting_user=SYSTEM)
    assert report.ok, report.errors
    assert Street.objects.get().code == "1"


def test_uploader_cannot_add_under_a_parent_outside_their_scope(db):
    area_tree_import(uploaded_file=xlsx(GOOD_ROWS), acting_user=SYSTEM)
    other = area_tree_import(
        uploaded_file=xlsx([["区/县", "120102", "河东区", ""], ["街道/镇", "120102001", "大王庄街道", "120102"]]),
        acting_user=SYSTEM,
    )
    assert other.ok
    admin = make_staff(District.objects.get(code="120101"), role=Role.SYSTEM_ADMIN)
    report = area_tree_import(uploaded_file=xlsx([["社区/村", "X1", "越界社区", "120102001"]]), acting_user=admin)
    assert "不在您的管辖范围内" in report.errors[0].message
    assert not Community.objects.filter(code="X1").exists()


def test_station_staff_cannot_create_districts(db):
    area_tree_import(uploaded_file=xlsx(GOOD_ROWS[:2]), acting_user=SYSTEM)
    staff = make_staff(Street.objects.get(), role=Role.STATION_STAFF)
    report = area_tree_import(uploaded_file=xlsx([["区/县", "120199", "新区", ""]]), acting_user=staff)
    assert "没有新增区/县的权限" in report.errors[0].message
    assert District.objects.count() == 1


def test_template_round_trips_through_the_importer(db):
    template = SimpleUploadedFile("template.xlsx", area_import_template())
    report = area_tree_import(uploaded_file=template, acting_user=SYSTEM)
    assert report.ok, report.errors
    assert counts() == (1, 1, 1, 1)
