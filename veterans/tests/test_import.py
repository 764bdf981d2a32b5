import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.tests.factories import make_staff
from veterans.import_services import veteran_import_confirm, veteran_import_start
from veterans.importing import import_template
from veterans.models import ChangeKind, ImportStatus, PriorityCare, Veteran, VeteranChange, VeteranImport
from veterans.tasks import expire_veteran_imports
from veterans.tests.factories import make_veteran, next_id_number
from veterans.tests.xlsx_helpers import veteran_row, xlsx_file


@pytest.fixture
def station(tree):
    return make_staff(tree["community_a1"])


def start(rows, user, **kwargs):
    record = veteran_import_start(uploaded_file=xlsx_file(rows, **kwargs), acting_user=user)
    record.refresh_from_db()
    return record


def test_good_file_is_checked_then_imported_all_at_once(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    rows = [
        veteran_row(
            姓名="甲", 公民身份号码=next_id_number(), 网格编码=grid.code, 优抚类别="残疾军人、参战参试人员", 残疾等级=5
        ),
        veteran_row(
            姓名="乙", 公民身份号码=next_id_number().lower(), 网格编码=grid.code, 中共党员="是", 组织关系="口袋党员"
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALID and record.total_rows == 2
    assert Veteran.objects.count() == 0  # nothing is written before confirmation
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.created_count == 2
    first = Veteran.objects.get(name="甲")
    assert first.grid == grid and first.street_id == grid.street_id
    assert PriorityCare.objects.get(veteran=first, category="disabled").disability_grade == 5
    assert Veteran.objects.get(name="乙").party_relation == "pocket"
    assert VeteranChange.objects.filter(kind=ChangeKind.IMPORT).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_every_bad_row_is_listed_with_row_column_and_reason(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    rows = [
        veteran_row(公民身份号码="110105194912310021", 网格编码=grid.code),  # bad check digit
        veteran_row(公民身份号码=next_id_number(), 网格编码="nope"),  # unknown grid
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 退役类别="将军"),  # bad choice
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 入伍时间="03/01/1968"),  # ambiguous date
        veteran_row(公民身份号码=next_id_number(), 网格编码=tree["grid_b11"].code),  # outside scope
        veteran_row(公民身份号码=next_id_number(gender="M"), 网格编码=grid.code, 性别="女"),  # gender mismatch
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 姓名="=A1"),  # formula
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in record.errors}
    assert found == {
        (2, "公民身份号码"),
        (3, "网格编码"),
        (4, "退役类别"),
        (5, "入伍时间"),
        (6, "网格编码"),
        (7, "性别"),
        (8, "姓名"),
    }
    messages = {e["row"]: e["message"] for e in record.errors}
    assert (
        "校验位" in messages[2]
        and "不是可识别的日期" in messages[5]
        and "1998-12" in messages[5]
        and "公式" in messages[8]
    )
    with pytest.raises(ApplicationError):
        veteran_import_confirm(record=record, acting_user=station)
    assert Veteran.objects.count() == 0


def test_duplicates_inside_the_file_and_against_existing_records(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    existing = make_veteran(grid, name="老档案")
    repeated = next_id_number()
    rows = [
        veteran_row(公民身份号码=repeated, 网格编码=grid.code),
        veteran_row(公民身份号码=repeated, 网格编码=grid.code),
        veteran_row(公民身份号码=existing.id_number, 网格编码=grid.code),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    messages = {e["row"]: e["message"] for e in record.errors}
    assert "与第 2 行" in messages[3]
    assert "老档案" in messages[4]
    assert Veteran.objects.count() == 1


def test_wrong_headers_are_refused_with_the_missing_columns(tree, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(
            uploaded_file=xlsx_file([{"姓名": "x"}], headers=["姓名", "证件"]), acting_user=station
        )
    record.refresh_from_db()
    assert record.status == ImportStatus.INVALID
    assert "公民身份号码" in record.message and "网格编码" in record.message


def test_not_an_xlsx_is_refused_at_upload(tree, station):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ApplicationError, match="不是有效的Excel"):
        veteran_import_start(uploaded_file=SimpleUploadedFile("a.xlsx", b"PK\x03\x04junk"), acting_user=station)
    with pytest.raises(ApplicationError, match="空"):
        veteran_import_start(uploaded_file=SimpleUploadedFile("a.xlsx", b""), acting_user=station)
    assert not VeteranImport.objects.exists()


def test_empty_sheet_is_refused(tree, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file([]), acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.INVALID and "没有数据行" in record.message


def test_a_failure_during_the_write_rolls_everything_back(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    late = next_id_number()
    rows = [veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code) for _ in range(1500)]
    rows.append(veteran_row(公民身份号码=late, 网格编码=grid.code))
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALID
    make_veteran(grid, id_number=late)  # someone files the same person between check and confirm
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert record.message
    assert Veteran.objects.count() == 1  # the 1,500 rows written before the clash were rolled back


def test_the_unchanged_template_imports_nothing_and_says_so(client, db, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grids.tests.factories import GridFactory

    grid = GridFactory(code="120101001001001")  # the sample's grid code: its row would pass every check
    user = make_staff(grid.community)
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=SimpleUploadedFile("t.xlsx", import_template()), acting_user=user)
    record.refresh_from_db()
    assert record.status == ImportStatus.INVALID and record.valid_rows == 0
    assert "模板中只有示例行，没有可导入的数据" in record.message
    client.force_login(user)
    preview = client.get(reverse("admin:veterans_import_detail", args=[record.pk])).content.decode()
    assert "模板中只有示例行" in preview and "确认导入" not in preview
    assert not Veteran.objects.exists()


def test_the_template_filled_in_below_its_sample_imports_only_the_new_rows(
    client, db, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from grids.tests.factories import GridFactory

    grid = GridFactory(code="120101001001001")
    user = make_staff(grid.community)
    workbook = load_workbook(io.BytesIO(import_template()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    person = veteran_row(姓名="李卫东", 公民身份号码=next_id_number(), 网格编码=grid.code)
    sheet.append([{"序号": 1}.get(h, person.get(h)) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=SimpleUploadedFile("t.xlsx", buffer.getvalue()), acting_user=user)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALID, record.errors
    assert record.total_rows == 1 and record.layout["sample_rows"] == [2]
    client.force_login(user)
    preview = client.get(reverse("admin:veterans_import_detail", args=[record.pk])).content.decode()
    assert "已跳过的示例行：2" in preview
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=user)
    assert list(Veteran.objects.values_list("name", flat=True)) == ["李卫东"]  # not the sample 张建国


def test_admin_pages_upload_preview_and_progress(client, tree, station, django_capture_on_commit_callbacks):
    client.force_login(station)
    grid = tree["grid_a11"]
    upload = xlsx_file([veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:veterans_import_start"), {"file": upload})
    assert response.status_code == 302
    record = VeteranImport.objects.get()
    detail = client.get(response.url)
    assert "确认导入" in detail.content.decode()
    progress = client.get(reverse("admin:veterans_import_progress", args=[record.pk])).json()
    assert progress["finished"] is True and progress["status"] == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:veterans_import_confirm", args=[record.pk]))
    assert Veteran.objects.filter(grid=grid).count() == 1


def test_imports_are_private_to_their_uploader(client, tree, station):
    record = start([veteran_row(公民身份号码=next_id_number(), 网格编码=tree["grid_a11"].code)], station)
    other = make_staff(tree["community_a1"])
    client.force_login(other)
    assert client.get(reverse("admin:veterans_import_detail", args=[record.pk])).status_code == 404
    client.post(reverse("admin:veterans_import_confirm", args=[record.pk]))
    assert not Veteran.objects.exists()


def test_grid_worker_cannot_import(tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    with pytest.raises(ApplicationError):
        start([veteran_row()], worker)


def test_dates_in_future_and_impossible_values_are_reported(tree, station, django_capture_on_commit_callbacks):
    rows = [
        veteran_row(公民身份号码=next_id_number(), 网格编码=tree["grid_a11"].code, 退役时间=datetime.date(2999, 1, 1))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert record.errors[0]["column"] == "退役时间" and "不能晚于今天" in record.errors[0]["message"]


def test_confirming_after_the_scope_shrank_writes_nothing(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    rows = [veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code) for _ in range(2500)]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALID
    profile = station.staff_profile
    profile.community = tree["community_a2"]  # moved to the sibling community before confirming
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert "不在您的管辖范围内" in record.message
    assert not Veteran.objects.exists() and not VeteranChange.objects.exists() and not PriorityCare.objects.exists()


def test_a_database_error_during_the_write_marks_the_import_failed(
    postgres, tree, station, django_capture_on_commit_callbacks
):
    grid = tree["grid_a11"]
    rows = [veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    staged = record.staged_file.read().decode().replace("张建国", "张" * 500, 1)  # longer than the column
    record.staged_file.save("staged.jsonl", ContentFile(staged.encode()))
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)  # the task logs the DataError
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "系统错误" in record.message
    assert not Veteran.objects.exists()


def _stored(record: VeteranImport) -> list[str]:
    """The names of the record's files that still exist in storage."""
    return [f.name for f in (record.file, record.staged_file) if f and f.storage.exists(f.name)]


def test_files_with_numbers_in_clear_go_once_an_import_is_settled(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    with django_capture_on_commit_callbacks(execute=True):
        good = veteran_import_start(
            uploaded_file=xlsx_file([veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code)]),
            acting_user=station,
        )
        bad = veteran_import_start(
            uploaded_file=xlsx_file([veteran_row(公民身份号码="110105194912310021", 网格编码=grid.code)]),
            acting_user=station,
        )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == ImportStatus.VALID and len(_stored(good)) == 2  # kept for the confirmation
    assert bad.status == ImportStatus.INVALID and not bad.file and not bad.staged_file and bad.errors
    names = [good.file.name, good.staged_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=good, acting_user=station)
    good.refresh_from_db()
    assert good.status == ImportStatus.DONE and good.created_count == 1
    assert not good.file and not good.staged_file
    assert not any(default_storage.exists(name) for name in names)


def test_a_checked_file_left_unconfirmed_is_cleared_after_the_period(
    tree, station, settings, django_capture_on_commit_callbacks
):
    grid = tree["grid_a11"]
    with django_capture_on_commit_callbacks(execute=True):
        old = veteran_import_start(
            uploaded_file=xlsx_file([veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code)]),
            acting_user=station,
        )
        recent = veteran_import_start(
            uploaded_file=xlsx_file([veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code)]),
            acting_user=station,
        )
    settings.VETERAN_IMPORT_CONFIRM_HOURS = 72
    VeteranImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=73))
    names = [VeteranImport.objects.get(pk=old.pk).file.name]

    assert expire_veteran_imports.apply().get() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ImportStatus.EXPIRED and not old.file and not old.staged_file and old.message
    assert not default_storage.exists(names[0])
    assert recent.status == ImportStatus.VALID and len(_stored(recent)) == 2
    with pytest.raises(ApplicationError, match="不能导入"):
        veteran_import_confirm(record=old, acting_user=station)
    assert not Veteran.objects.exists()


def test_one_upload_lists_every_bad_cell_of_every_row(client, tree, station, django_capture_on_commit_callbacks):
    """Several kinds of error in several rows and columns, some in the same row: each is listed
    with its row and column, not only the first one found in a row."""
    grid = tree["grid_a11"]
    repeated = next_id_number()
    rows = [
        veteran_row(
            公民身份号码="110105194912310021", 网格编码=grid.code, 联系电话="138-1234-abcd"
        ),  # check digit, phone
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 退役类别="将军", 联系电话="无"),
        veteran_row(公民身份号码=repeated, 网格编码=grid.code, 入伍时间="明年"),  # bad date, and a duplicate
        veteran_row(公民身份号码=repeated, 网格编码=grid.code),  # duplicate of row 4
        veteran_row(公民身份号码=next_id_number(), 网格编码="nope", 退役时间=datetime.date(2999, 1, 1)),
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 姓名="正确的一行"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    found = {(e["row"], e["column"]): e["message"] for e in record.errors}
    assert set(found) == {
        (2, "公民身份号码"),
        (2, "联系电话"),
        (3, "退役类别"),
        (3, "联系电话"),
        (4, "入伍时间"),
        (4, "公民身份号码"),
        (5, "公民身份号码"),
        (6, "网格编码"),
        (6, "退役时间"),
    }
    assert "校验位" in found[(2, "公民身份号码")] and "与第 5 行" in found[(4, "公民身份号码")]
    assert "与第 4 行" in found[(5, "公民身份号码")] and "不能晚于今天" in found[(6, "退役时间")]
    assert record.error_count == 9 and record.refused_rows == 5
    assert record.status == ImportStatus.PARTIAL and record.valid_rows == 1
    assert Veteran.objects.count() == 0  # nothing before confirmation
    client.force_login(station)
    preview = client.get(reverse("admin:veterans_import_detail", args=[record.pk])).content.decode()
    assert all(f"<tr><td>{row}</td><td>{column}</td>" in preview for row, column in found)
    assert "导入正确的 1 行" in preview

    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)

    assert list(Veteran.objects.values_list("name", flat=True)) == ["正确的一行"]


def test_a_cell_that_cannot_be_read_brings_no_complaint_about_what_hangs_on_it(
    tree, station, django_capture_on_commit_callbacks
):
    grid = tree["grid_a11"]
    rows = [
        # An unknown kind of person: the veteran's own rules (退役类别 required) are not asked.
        veteran_row(公民身份号码=next_id_number(), 网格编码=grid.code, 人员类别="外星人", 退役类别=""),
        # A bad ID number: the empty gender, which it would give, is not reported.
        veteran_row(公民身份号码="12010119", 网格编码=grid.code, 姓名="=A1"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows), acting_user=station)
    record.refresh_from_db()
    assert sorted((e["row"], e["column"]) for e in record.errors) == [(2, "人员类别"), (3, "公民身份号码"), (3, "姓名")]
    assert record.status == ImportStatus.INVALID and not Veteran.objects.exists()
