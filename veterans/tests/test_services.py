import datetime

import pytest

from audit.models import AuditAction, AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from grids.tests.factories import GridFactory, make_staff
from veterans.identity import parse_id_number
from veterans.models import ChangeKind, FamilyRelation, HonourKind, LifeStatus, PriorityCategory, Veteran
from veterans.rules import COMPLETENESS_ITEMS, KeyGroup, key_group_q, key_groups, missing_items
from veterans.services import (
    family_member_delete,
    family_member_save,
    honour_delete,
    honour_save,
    veteran_create,
    veteran_mark_plaque_hung,
    veteran_move_grid,
    veteran_remove,
    veteran_restore,
    veteran_reveal_identity,
    veteran_set_priority_care,
    veteran_update,
)
from veterans.tests.factories import make_veteran, next_id_number


def test_create_derives_birth_date_gender_and_writes_history(db):
    number = next_id_number(datetime.date(1948, 8, 1), "F")
    veteran = veteran_create(
        grid=GridFactory(), id_number=number.lower(), name="李秀兰", veteran_type="demobilised", acting_user=SYSTEM
    )
    veteran.refresh_from_db()
    assert veteran.birth_date == parse_id_number(number).birth_date
    assert veteran.gender == "F"
    assert veteran.id_number == number.upper()
    assert veteran.id_tail == number[-4:]
    assert veteran.name_initials == "lxl"
    change = veteran.changes.get()
    assert change.kind == ChangeKind.CREATE
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(veteran.pk)).exists()


def test_entered_gender_must_agree_with_the_id_number(db):
    number = next_id_number(gender="M")
    with pytest.raises(ApplicationError, match="性别与身份证号不一致") as error:
        make_veteran(id_number=number, gender="F")
    assert error.value.field == "gender"
    assert Veteran.objects.count() == 0


def test_entered_birth_date_must_agree_with_the_id_number(db):
    number = next_id_number(datetime.date(1950, 3, 4))
    with pytest.raises(ApplicationError, match="出生日期与身份证号不一致"):
        make_veteran(id_number=number, birth_date=datetime.date(1951, 1, 1))


def test_duplicate_id_is_refused_naming_the_existing_record(db):
    first = make_veteran(name="王大山")
    with pytest.raises(ApplicationError, match="王大山") as error:
        make_veteran(id_number=first.id_number, name="另一个人")
    assert error.value.code == "duplicate"
    assert Veteran.objects.count() == 1


def test_removed_record_frees_its_id_number_and_cannot_be_restored_over_a_new_one(db):
    first = make_veteran()
    veteran_remove(veteran=first, reason="重复建档", acting_user=SYSTEM)
    second = make_veteran(id_number=first.id_number)
    assert second.pk != first.pk
    with pytest.raises(ApplicationError, match="身份证号已存在"):
        veteran_restore(veteran=first, acting_user=SYSTEM)


def test_impossible_dates_are_refused(db):
    with pytest.raises(ApplicationError, match="退役时间不能早于入伍时间"):
        make_veteran(enlistment_date=datetime.date(1970, 1, 1), discharge_date=datetime.date(1969, 1, 1))
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        make_veteran(discharge_date=datetime.date(2999, 1, 1))
    with pytest.raises(ApplicationError, match="已故或迁出时必须填写日期"):
        make_veteran(life_status=LifeStatus.DECEASED)
    with pytest.raises(ApplicationError, match="年龄不足"):
        make_veteran(enlistment_date=datetime.date(1955, 1, 1))


def test_update_writes_one_history_row_per_changed_field_with_masked_numbers(db):
    veteran = make_veteran(phone="13812345678")
    user = make_staff(veteran.grid.community)
    veteran_update(veteran=veteran, acting_user=user, phone="13900001111", skills="电工", reason="电话变更")
    rows = {c.field: c for c in veteran.changes.filter(kind=ChangeKind.UPDATE)}
    assert set(rows) == {"phone", "skills"}
    assert (rows["phone"].old_value, rows["phone"].new_value) == ("138****5678", "139****1111")
    assert rows["skills"].actor == user and rows["skills"].reason == "电话变更"
    veteran.refresh_from_db()
    assert veteran.phone_tail == "1111"


def test_update_without_changes_writes_nothing(db):
    veteran = make_veteran(skills="木工")
    veteran_update(veteran=veteran, skills="木工", acting_user=SYSTEM)
    assert veteran.changes.count() == 1


def test_update_outside_scope_is_refused_and_nothing_changes(db, tree):
    veteran = make_veteran(tree["grid_b11"], skills="")
    outsider = make_staff(tree["community_a1"])
    with pytest.raises(ApplicationError):
        veteran_update(veteran=veteran, acting_user=outsider, skills="越权")
    veteran.refresh_from_db()
    assert veteran.skills == "" and veteran.changes.count() == 1


def test_worker_cannot_create_in_another_grid(db, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        make_veteran(tree["grid_a12"], acting_user=worker)
    assert not Veteran.objects.exists()


def test_move_to_another_grid_is_an_event_and_keys_follow(db, tree):
    veteran = make_veteran(tree["grid_a11"])
    staff = make_staff(tree["district"])
    veteran_move_grid(veteran=veteran, grid=tree["grid_b21"], acting_user=staff, reason="搬家")
    veteran.refresh_from_db()
    assert (veteran.street_id, veteran.community_id) == (tree["street_b"].pk, tree["community_b2"].pk)
    move = veteran.changes.get(kind=ChangeKind.MOVE)
    assert move.old_value == tree["grid_a11"].name and move.reason == "搬家"


def test_station_cannot_move_a_veteran_out_of_its_area(db, tree):
    veteran = make_veteran(tree["grid_a11"])
    staff = make_staff(tree["community_a1"])
    with pytest.raises(ApplicationError, match="目标网格不在"):
        veteran_move_grid(veteran=veteran, grid=tree["grid_b11"], acting_user=staff)
    veteran.refresh_from_db()
    assert veteran.grid_id == tree["grid_a11"].pk


def test_remove_needs_a_reason_and_keeps_the_row(db):
    veteran = make_veteran()
    with pytest.raises(ApplicationError, match="原因"):
        veteran_remove(veteran=veteran, reason=" ", acting_user=SYSTEM)
    veteran_remove(veteran=veteran, reason="录入错误", acting_user=SYSTEM)
    veteran.refresh_from_db()
    assert veteran.removed_at is not None
    assert veteran.changes.filter(kind=ChangeKind.REMOVE, reason="录入错误").exists()
    with pytest.raises(ApplicationError, match="已注销"):
        veteran_update(veteran=veteran, skills="x", acting_user=SYSTEM)


def test_priority_care_with_disability_grade_and_history(db):
    veteran = make_veteran()
    veteran_set_priority_care(
        veteran=veteran,
        categories=[(PriorityCategory.DISABLED, 3), (PriorityCategory.KOREAN_WAR, None)],
        acting_user=SYSTEM,
    )
    assert veteran.priority_care.get(category=PriorityCategory.DISABLED).disability_grade == 3
    change = veteran.changes.get(field="priority_care")
    assert "残疾军人（3级）" in change.new_value
    with pytest.raises(ApplicationError, match="1至10级"):
        veteran_set_priority_care(veteran=veteran, categories=[(PriorityCategory.DISABLED, 11)], acting_user=SYSTEM)
    assert veteran.priority_care.count() == 2


def test_family_and_honours_are_recorded_and_complete_the_file(db):
    veteran = make_veteran()
    member = family_member_save(
        veteran=veteran,
        name="张小明",
        relation=FamilyRelation.CHILD,
        phone="13700000000",
        is_military_family=True,
        acting_user=SYSTEM,
    )
    honour = honour_save(
        veteran=veteran, kind=HonourKind.SECOND_CLASS, title="边境作战", awarded_year=1979, acting_user=SYSTEM
    )
    fields = list(veteran.changes.values_list("field", flat=True))
    assert "family" in fields and "honours" in fields
    veteran.refresh_from_db()
    assert "family" not in [i.key for i in missing_items(veteran, family_count=1)]
    family_member_delete(member=member, acting_user=SYSTEM)
    honour_delete(honour=honour, acting_user=SYSTEM)
    assert veteran.changes.filter(field="family", new_value="").exists()


def test_completeness_score_lists_what_is_missing(db):
    veteran = make_veteran(phone="", ethnicity="")
    missing = {item.key for item in missing_items(veteran, family_count=0)}
    assert {"phone", "ethnicity", "family", "branch"} <= missing
    expected = round(100 * (len(COMPLETENESS_ITEMS) - len(missing)) / len(COMPLETENESS_ITEMS))
    veteran.refresh_from_db()
    assert veteran.completeness == expected


def test_key_groups_rule_and_filter_agree(db):
    today = datetime.date(2026, 11, 23)
    old = make_veteran(birth_date=datetime.date(1946, 11, 23), extreme_poverty=True)
    young = make_veteran(birth_date=datetime.date(1946, 11, 24))
    honour_save(veteran=young, kind=HonourKind.FIRST_CLASS, acting_user=SYSTEM)
    assert key_groups(old, set(), today) == [KeyGroup.AGE_80_PLUS, KeyGroup.EXTREME_HARDSHIP]
    assert key_groups(young, {HonourKind.FIRST_CLASS}, today) == [
        KeyGroup.MAJOR_CONTRIBUTION,
        KeyGroup.MERIT_AWARDS,
    ]
    over_80 = Veteran.objects.filter(key_group_q(KeyGroup.AGE_80_PLUS, today))
    assert list(over_80) == [old]
    assert list(Veteran.objects.filter(key_group_q(KeyGroup.MERIT_AWARDS, today)).distinct()) == [young]


def test_plaque_hung_is_a_recorded_change(db):
    veteran = make_veteran()
    veteran_mark_plaque_hung(veteran=veteran, hung_on=datetime.date(2025, 8, 1), acting_user=SYSTEM)
    assert veteran.changes.get(field="glory_plaque_hung_on").new_value == "2025-08-01"


def test_reveal_is_audited_and_needs_permission(db, tree):
    veteran = make_veteran(tree["grid_a11"])
    staff = make_staff(tree["community_a1"])
    assert veteran_reveal_identity(veteran=veteran, acting_user=staff)["id_number"] == veteran.id_number
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE, actor=staff).count() == 1
    from grids.models import Role

    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    with pytest.raises(ApplicationError):
        veteran_reveal_identity(veteran=veteran, acting_user=admin_user)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE).count() == 1


def test_grid_of_a_new_record_must_exist(db):
    grid = GridFactory()
    veteran = make_veteran(grid)
    assert veteran.district_id == grid.district_id


def test_restore_is_recorded(db):
    veteran = make_veteran()
    veteran_remove(veteran=veteran, reason="误注销", acting_user=SYSTEM)
    veteran_restore(veteran=veteran, reason="恢复", acting_user=SYSTEM)
    assert list(veteran.changes.values_list("kind", flat=True)) == [
        ChangeKind.RESTORE,
        ChangeKind.REMOVE,
        ChangeKind.CREATE,
    ]
