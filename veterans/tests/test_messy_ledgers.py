"""Ledgers as stations really keep them: titles, 序号, number cells, full-width digits, dates
typed by hand. Good rows come in exactly as meant; each bad row is refused with a reason."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from core.dates import MonthDate, parse_clerk_date
from core.errors import ApplicationError
from grids.tests.factories import make_staff
from veterans.import_services import veteran_import_confirm, veteran_import_start
from veterans.importing import import_template
from veterans.models import ImportStatus, Veteran, VeteranImport
from veterans.tests.factories import make_veteran, next_id_number
from veterans.tests.xlsx_helpers import xlsx_file

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
INLINES = {f"{p}-{s}": "0" for p in ("priority_care", "family", "honours") for s in ("TOTAL_FORMS", "INITIAL_FORMS")}
HEADER = ["序号", "姓名", "身份证号码", "联系电话", "网格编码", "退役类别", "入伍时间", "退役时间", "备注"]


def _id_ending_in_x() -> str:
    for _attempt in range(100):
        number = next_id_number()
        if number.endswith("X"):
            return number
    raise AssertionError("no number ending in X")


def _ledger(rows: list[list], *, title: bool = True) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["和平区退役军人信息台账（2026年）"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for index, row in enumerate(rows, 1):
        sheet.append([index, *row])
    for index in range(len(rows) + 1, len(rows) + 6):
        sheet.append([index])  # pre-numbered empty rows at the end
    sheet.append([None, "注：本表由社区服务站填报，审核人：李四"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "台账.xlsx"
    buffer.size = len(buffer.getvalue())
    return buffer


@pytest.fixture
def station(tree):
    return make_staff(tree["community_a1"])


def _check(upload, user, capture) -> VeteranImport:
    with capture(execute=True):
        record = veteran_import_start(uploaded_file=upload, acting_user=user)
    return VeteranImport.objects.get(pk=record.pk)


def _errors(record) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for error in record.errors:
        found.setdefault(error["row"], []).append((error["column"], error["message"]))
    return found


def test_an_id_from_a_number_cell_is_refused_even_when_its_digits_look_valid(
    tree, station, django_capture_on_commit_callbacks
):
    code = tree["grid_a11"].code
    exact = next_id_number()
    rows = [
        ["甲", 120101196903120369, "13812345678", code, "退役士兵", "1998-12", "2003-12", ""],  # exact int
        ["乙", float("120101196903120369"), "13812345678", code, "退役士兵", "1998-12", "2003-12", ""],
        ["丙", "1.20101196903120E+17", "13812345678", code, "退役士兵", "1998-12", "2003-12", ""],  # pasted
        [
            "丁",
            int(exact[:-1] + "0") if exact.endswith("X") else int(exact),
            "13812345678",
            code,
            "退役士兵",
            "",
            "",
            "",
        ],
    ]
    record = _check(_ledger(rows), station, django_capture_on_commit_callbacks)
    errors = _errors(record)
    for row in (3, 4, 5, 6):
        column, message = errors[row][0]
        assert column == "公民身份号码" and "数字格式" in message and "文本" in message, (row, message)
    assert "1.20101196903120E+17" in errors[4][0][1]  # what Excel holds, shown to the clerk
    assert record.status == ImportStatus.INVALID and record.valid_rows == 0
    assert not Veteran.objects.exists()


def test_a_mobile_number_in_a_number_cell_is_exact_but_a_landline_is_refused(
    tree, station, django_capture_on_commit_callbacks
):
    code = tree["grid_a11"].code
    rows = [
        ["甲", next_id_number(), 13812345678, code, "退役士兵", "", "", ""],
        ["乙", next_id_number(), 2227123456, code, "退役士兵", "", "", ""],  # 022-27123456 lost its 0
    ]
    record = _check(_ledger(rows), station, django_capture_on_commit_callbacks)
    errors = _errors(record)
    assert 3 not in errors
    assert errors[4][0][0] == "联系电话" and "开头的0" in errors[4][0][1]
    assert record.status == ImportStatus.PARTIAL and record.valid_rows == 1


def test_the_template_formats_number_columns_as_text(db):
    sheet = load_workbook(io.BytesIO(import_template())).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for header in ("公民身份号码", "联系电话", "网格编码"):
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"
        assert sheet[f"{letter}2"].number_format == "@" and isinstance(sheet[f"{letter}2"].value, str)


def test_the_messy_ledger_imports_its_good_rows_exactly_and_refuses_each_bad_one(
    tree, station, django_capture_on_commit_callbacks
):
    code = tree["grid_a11"].code
    existing = make_veteran(tree["grid_a12"], name="已在册")
    wide, with_x, repeated = next_id_number(), _id_ending_in_x(), next_id_number()
    rows = [
        [
            "全角",
            wide.translate(FULL_WIDTH),
            "１３８１２３４５６７８",
            code.translate(FULL_WIDTH),
            "退役士兵",
            "１９９８．１２",
            "2003年12月",
            "",
        ],
        ["小写", with_x[:-1] + "x", "13812345678", code, "复员军人", "1998/12/01", "20031201", ""],
        ["年月", next_id_number(), "", code, "退役士兵", "1998年12月", "2003-12", ""],
        ["数字", 120101196903120369, "", code, "退役士兵", "", "", ""],
        ["含糊", next_id_number(), "", code, "退役士兵", "12/01/1998", "", ""],
        ["重复一", repeated, "", code, "退役士兵", "", "", ""],
        ["重复二", repeated, "", code, "退役士兵", "", "", ""],
        ["在册", existing.id_number, "", code, "退役士兵", "", "", ""],
        ["不存在", next_id_number(), "", code, "退役士兵", "1998-02-30", "", ""],
    ]
    record = _check(_ledger(rows), station, django_capture_on_commit_callbacks)
    assert record.layout["header_row"] == 2 and record.layout["ignored_columns"] == ["序号"]
    assert record.layout["note_rows"] == [17]
    errors = _errors(record)
    # Row numbers as Excel shows them: the header is row 2, so the first person is row 3.
    assert sorted(errors) == [6, 7, 8, 9, 10, 11]
    assert "数字格式" in errors[6][0][1]
    assert errors[7][0][0] == "入伍时间" and "1998-12" in errors[7][0][1]
    assert all("重复" in message for _c, message in errors[8] + errors[9])
    assert "已在册" in errors[10][0][1]
    assert errors[11][0][0] == "入伍时间" and "不存在" in errors[11][0][1]
    assert record.status == ImportStatus.PARTIAL and record.valid_rows == 3 and record.refused_rows == 6
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.created_count == 3
    full = Veteran.objects.get(name="全角")
    assert full.id_number == wide and full.phone == "13812345678" and full.grid == tree["grid_a11"]
    assert (
        full.enlistment_date == datetime.date(1998, 12, 1) and full.month_only_dates == "enlistment_date,discharge_date"
    )
    assert full.shown_date("enlistment_date") == MonthDate(1998, 12)
    lower = Veteran.objects.get(name="小写")
    assert lower.id_number == with_x and lower.month_only_dates == ""
    assert lower.discharge_date == datetime.date(2003, 12, 1)
    assert not Veteran.objects.filter(name__in=["数字", "含糊", "重复一", "重复二", "在册", "不存在"]).exists()


def test_a_file_without_a_title_and_with_the_templates_headers_still_reads(
    tree, station, django_capture_on_commit_callbacks
):
    rows = [["无标题", next_id_number(), "", tree["grid_a11"].code, "退役士兵", "", "", ""]]
    record = _check(_ledger(rows, title=False), station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.VALID and record.layout["header_row"] == 1


def test_a_sheet_without_the_columns_names_the_nearest_row_and_what_it_lacks(
    tree, station, django_capture_on_commit_callbacks
):
    upload = xlsx_file([{"姓名": "x"}], headers=["姓名", "证件"])
    record = _check(upload, station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.INVALID and "第1行" in record.message and "网格编码" in record.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1998.12", MonthDate(1998, 12)), ("1998年12月", MonthDate(1998, 12)), ("1998-12", MonthDate(1998, 12)),
        ("199812", MonthDate(1998, 12)), ("1998/12/01", datetime.date(1998, 12, 1)),
        ("19981201", datetime.date(1998, 12, 1)), ("1998年12月1日", datetime.date(1998, 12, 1)),
        ("１９９８－１２－０１", datetime.date(1998, 12, 1)), ("1998.1.5", datetime.date(1998, 1, 5)),
        ("1998-12-01 00:00:00", datetime.date(1998, 12, 1)),
    ],
)  # fmt: skip
def test_dates_as_clerks_type_them(text, expected):
    value = parse_clerk_date(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["12/01/1998", "98.12", "1998", "1998-13", "1998-02-30", "去年"])
def test_ambiguous_or_impossible_dates_are_refused(text):
    with pytest.raises(ApplicationError):
        parse_clerk_date(text)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_takes_full_width_numbers_and_month_dates_and_answers_months(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    number = next_id_number()
    response = _api(worker).post(
        "/api/veterans/",
        {
            "grid": tree["grid_a11"].pk,
            "name": "全角",
            "id_number": number.translate(FULL_WIDTH),
            "phone": "１３９００００１１１１",
            "veteran_type": "demobilised",
            "enlistment_date": "1968年3月",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["enlistment_date"] == "1968-03"
    veteran = Veteran.objects.get(pk=response.json()["id"])
    assert veteran.id_number == number and veteran.phone == "13900001111"
    refused = _api(worker).patch(f"/api/veterans/{veteran.pk}/", {"discharge_date": "03/01/1973"}, format="json")
    assert refused.status_code == 400 and "1998-12" in refused.json()["discharge_date"][0]
    changed = _api(worker).patch(f"/api/veterans/{veteran.pk}/", {"enlistment_date": "1968-03-01"}, format="json")
    assert changed.status_code == 200 and changed.json()["enlistment_date"] == "1968-03-01"
    veteran.refresh_from_db()
    assert veteran.month_only_dates == ""
    assert veteran.changes.filter(field="enlistment_date", old_value="1968-03", new_value="1968-03-01").exists()


def test_the_admin_form_takes_and_shows_back_a_month(client, tree):
    veteran = make_veteran(tree["grid_a11"], enlistment_date=MonthDate(1968, 3))
    assert veteran.month_only_dates == "enlistment_date"
    client.force_login(make_staff(tree["community_a1"]))
    page = client.get(f"/admin/veterans/veteran/{veteran.pk}/change/").content.decode()
    assert 'value="1968-03"' in page


def test_the_admin_form_takes_full_width_numbers(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    number = next_id_number()
    data = {
        "grid": tree["grid_a11"].pk,
        "name": "全角录入",
        "id_number": number.translate(FULL_WIDTH),
        "phone": "１３９００００２２２２",
        "veteran_type": "demobilised",
        "life_status": "alive",
        "discharge_date": "1973.01",
        **INLINES,
    }
    response = client.post("/admin/veterans/veteran/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    veteran = Veteran.objects.get(name="全角录入")
    assert veteran.id_number == number and veteran.phone == "13900002222"
    assert veteran.shown_date("discharge_date") == MonthDate(1973, 1)


def test_a_family_members_full_width_phone_in_the_admin_is_kept_plain(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(tree["community_a1"]))
    page = client.get(f"/admin/veterans/veteran/{veteran.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data.update(
        {
            **INLINES,
            "family-TOTAL_FORMS": "1",
            "family-0-name": "赵小红",
            "family-0-relation": "spouse",
            "family-0-phone": "１３７００００３３３３",
        }
    )
    response = client.post(f"/admin/veterans/veteran/{veteran.pk}/change/", data)
    assert response.status_code == 302, [str(e) for e in response.context["errors"]] if response.context else ""
    assert veteran.family.get().phone == "13700003333"
