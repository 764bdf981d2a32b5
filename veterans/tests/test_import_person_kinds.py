"""Ledgers of survivors and soldiers' families import with a 人员类别 column and the soldier's
columns; older templates without them keep importing veterans."""

import datetime

import pytest

from grids.tests.factories import make_staff
from veterans.import_services import veteran_import_confirm, veteran_import_start
from veterans.importing import HEADERS, import_template
from veterans.models import ChangeKind, ImportStatus, PersonKind, SoldierStatus, SourceSoldier, Veteran, VeteranChange
from veterans.tests.factories import next_id_number
from veterans.tests.xlsx_helpers import read_xlsx, veteran_row, xlsx_file

SOLDIER_COLUMNS = ["军人姓名", "部队", "与军人关系", "军人状态", "牺牲/病故日期", "牺牲/病故地点", "烈士证书编号"]
# A template from before the kinds of person: none of the new columns.
OLD_HEADERS = [h for h in HEADERS if h not in ("人员类别", *SOLDIER_COLUMNS)]


@pytest.fixture
def station(tree):
    return make_staff(tree["community_a1"])


def _run(rows, user, capture, headers=HEADERS):
    with capture(execute=True):
        record = veteran_import_start(uploaded_file=xlsx_file(rows, headers=headers), acting_user=user)
    record.refresh_from_db()
    return record


def _survivor_row(grid, **values):
    return (
        veteran_row(
            姓名="刘桂英",
            公民身份号码=next_id_number(datetime.date(1940, 5, 6), "F"),
            网格编码=grid.code,
            人员类别="烈士遗属",
            退役类别="",
            入伍时间=None,
            退役时间=None,
            军人姓名="王志刚",
            部队="某部三营",
            与军人关系="父母",
            **{"牺牲/病故日期": datetime.date(1984, 7, 12), "牺牲/病故地点": "云南老山"},
            烈士证书编号="LS-1984-0032",
        )
        | values
    )


def test_ledger_with_person_kind_column_files_survivors_with_their_soldier(
    tree, station, django_capture_on_commit_callbacks
):
    grid = tree["grid_a11"]
    rows = [
        veteran_row(姓名="老兵", 公民身份号码=next_id_number(), 网格编码=grid.code, 人员类别="退役军人"),
        _survivor_row(grid),
        _survivor_row(
            grid,
            姓名="赵军属",
            公民身份号码=next_id_number(datetime.date(1970, 1, 1), "F"),
            人员类别="现役军人家属",
            军人姓名="赵强",
            与军人关系="配偶",
            **{"牺牲/病故日期": None, "牺牲/病故地点": ""},
            烈士证书编号="",
        ),
    ]
    record = _run(rows, station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.VALID, record.errors
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.created_count == 3
    assert Veteran.objects.get(name="老兵").person_kind == PersonKind.VETERAN
    mother = Veteran.objects.get(name="刘桂英")
    assert mother.person_kind == PersonKind.MARTYR_SURVIVOR and mother.veteran_type == ""
    soldier = mother.source_soldier
    assert (soldier.name, soldier.status, soldier.relation) == ("王志刚", SoldierStatus.MARTYR, "parent")
    assert soldier.death_date == datetime.date(1984, 7, 12) and soldier.certificate_number == "LS-1984-0032"
    assert list(mother.priority_care.values_list("category", flat=True)) == ["martyr_family"]  # the kind's
    family = Veteran.objects.get(name="赵军属")
    assert family.source_soldier.status == SoldierStatus.SERVING and family.source_soldier.relation == "spouse"
    history = VeteranChange.objects.get(veteran=mother, field="source_soldier")
    assert history.kind == ChangeKind.IMPORT and "王志刚" in history.new_value


def test_survivor_row_without_her_soldier_is_refused(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    rows = [
        _survivor_row(
            grid, 军人姓名="", 部队="", 与军人关系="", 烈士证书编号="", **{"牺牲/病故日期": None, "牺牲/病故地点": ""}
        )
    ]
    record = _run(rows, station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.INVALID
    [error] = record.errors
    assert error["column"] == "军人姓名" and "烈士遗属须填写军人姓名" in error["message"]
    assert not Veteran.objects.exists() and not SourceSoldier.objects.exists()


def test_service_history_on_a_survivor_row_is_refused(tree, station, django_capture_on_commit_callbacks):
    rows = [_survivor_row(tree["grid_a11"], 服役军种="陆军")]
    record = _run(rows, station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.INVALID
    assert [(e["column"], "只适用于退役军人" in e["message"]) for e in record.errors] == [("服役军种", True)]
    assert not Veteran.objects.exists()


def test_old_template_without_person_kind_still_imports_veterans(tree, station, django_capture_on_commit_callbacks):
    grid = tree["grid_a11"]
    rows = [veteran_row(姓名="老模板", 公民身份号码=next_id_number(), 网格编码=grid.code)]
    record = _run(rows, station, django_capture_on_commit_callbacks, headers=OLD_HEADERS)
    assert record.status == ImportStatus.VALID, record.errors
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    veteran = Veteran.objects.get(name="老模板")
    assert veteran.person_kind == PersonKind.VETERAN and veteran.veteran_type == "discharged_soldier"
    assert not SourceSoldier.objects.exists()


def test_older_ledger_using_person_kind_for_the_veteran_type(tree, station, django_capture_on_commit_callbacks):
    """Stations' ledgers often head the veteran type 人员类别: such a column still reads as it."""
    grid = tree["grid_a11"]
    headers = [h if h != "退役类别" else "人员类别" for h in OLD_HEADERS]
    rows = [veteran_row(姓名="旧台账", 公民身份号码=next_id_number(), 网格编码=grid.code, 人员类别="复员军人")]
    record = _run(rows, station, django_capture_on_commit_callbacks, headers=headers)
    assert record.status == ImportStatus.VALID, record.errors
    with django_capture_on_commit_callbacks(execute=True):
        veteran_import_confirm(record=record, acting_user=station)
    veteran = Veteran.objects.get(name="旧台账")
    assert (veteran.person_kind, veteran.veteran_type) == (PersonKind.VETERAN, "demobilised")


def test_veteran_row_still_needs_its_veteran_type(tree, station, django_capture_on_commit_callbacks):
    rows = [veteran_row(公民身份号码=next_id_number(), 网格编码=tree["grid_a11"].code, 退役类别="")]
    record = _run(rows, station, django_capture_on_commit_callbacks)
    assert record.status == ImportStatus.INVALID
    assert [(e["column"], e["message"]) for e in record.errors] == [("退役类别", "退役军人必须填写退役类别。")]
    assert not Veteran.objects.exists()


def test_template_has_the_person_kind_and_soldier_columns():
    header, example = read_xlsx(import_template())[:2]
    assert "人员类别" in header and all(column in header for column in SOLDIER_COLUMNS)
    assert len(example) == len(header) and example[header.index("人员类别")] == "退役军人"
