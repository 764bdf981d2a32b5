import re

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from core.crypto.cipher import id_number_hash
from core.masking import mask_id_number
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.models import ChangeKind, PriorityCategory, Veteran
from veterans.services import veteran_remove
from veterans.tests.factories import make_veteran, next_id_number

CHANGELIST = "admin:veterans_veteran_changelist"


def names(response) -> set[str]:
    return set(re.findall(r'class="field-name"><a href="[^"]+">([^<]+)<', response.content.decode()))


def test_station_sees_only_its_community_and_ids_are_masked(client, tree):
    mine = make_veteran(tree["grid_a11"], name="本社区人")
    make_veteran(tree["grid_b11"], name="外社区人")
    client.force_login(make_staff(tree["community_a1"]))
    response = client.get(reverse(CHANGELIST))
    assert names(response) == {"本社区人"}
    body = response.content.decode()
    assert mine.id_number not in body
    assert mask_id_number(mine.id_number) in body
    assert "138****5678" in body


def test_cross_scope_change_page_is_refused(client, tree):
    other = make_veteran(tree["grid_b11"], name="外社区人")
    client.force_login(make_staff(tree["community_a1"]))
    response = client.get(reverse("admin:veterans_veteran_change", args=[other.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE).exists()


def test_cross_scope_post_changes_nothing(client, tree):
    other = make_veteran(tree["grid_b11"], skills="")
    client.force_login(make_staff(tree["community_a1"]))
    client.post(reverse("admin:veterans_veteran_change", args=[other.pk]), {"skills": "越权"})
    other.refresh_from_db()
    assert other.skills == ""


def test_opening_a_record_with_full_numbers_is_audited(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    staff = make_staff(tree["community_a1"])
    client.force_login(staff)
    response = client.get(reverse("admin:veterans_veteran_change", args=[veteran.pk]))
    assert response.status_code == 200
    assert veteran.id_number in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE, actor=staff, object_id=str(veteran.pk)).exists()


def test_search_by_full_id_tail_phone_and_pinyin(client, tree):
    target = make_veteran(tree["grid_a11"], name="张建国", phone="13911112222")
    make_veteran(tree["grid_a11"], name="李红", phone="13700003333")
    client.force_login(make_staff(tree["district"]))
    for term in (target.id_number, target.id_number[-4:], "13911112222", "2222", "zjg", "zhangjian", "建国"):
        response = client.get(reverse(CHANGELIST), {"q": term})
        assert names(response) == {"张建国"}, term


def test_filters_by_area_category_key_group_and_completeness(client, tree):
    import datetime

    old = make_veteran(tree["grid_a11"], name="老兵", birth_date=datetime.date(1940, 1, 1))
    make_veteran(tree["grid_b11"], name="年轻", categories=[(PriorityCategory.KOREAN_WAR, None)])
    client.force_login(make_staff(tree["district"]))
    cases = {
        "street": ({"street": tree["street_a"].pk}, {"老兵"}),
        "category": ({"category": "korean_war"}, {"年轻"}),
        "key_group": ({"key_group": "age_80_plus"}, {"老兵"}),
        "incomplete": ({"completeness": "incomplete"}, {"老兵", "年轻"}),
        "plaque": ({"plaque": "hung"}, set()),
    }
    for label, (params, expected) in cases.items():
        assert names(client.get(reverse(CHANGELIST), params)) == expected, label
    assert old.pk


def test_removed_records_are_hidden_unless_asked_for(client, tree):
    gone = make_veteran(tree["grid_a11"], name="已注销")
    veteran_remove(veteran=gone, reason="重复", acting_user=SYSTEM)
    make_veteran(tree["grid_a11"], name="在册")
    client.force_login(make_staff(tree["district"]))
    assert names(client.get(reverse(CHANGELIST))) == {"在册"}
    assert names(client.get(reverse(CHANGELIST), {"removed": "yes"})) == {"已注销"}


def test_create_through_the_admin_with_inlines_writes_history(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    number = next_id_number()
    data = {
        "grid": tree["grid_a12"].pk,
        "name": "赵志强",
        "id_number": number,
        "veteran_type": "retired_nco",
        "life_status": "alive",
        "phone": "13600001111",
        "priority_care-TOTAL_FORMS": "1",
        "priority_care-INITIAL_FORMS": "0",
        "priority_care-0-category": "disabled",
        "priority_care-0-disability_grade": "4",
        "family-TOTAL_FORMS": "1",
        "family-INITIAL_FORMS": "0",
        "family-0-name": "赵小红",
        "family-0-relation": "child",
        "family-0-phone": "",
        "honours-TOTAL_FORMS": "0",
        "honours-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    veteran = Veteran.objects.get(id_number_hash=id_number_hash(number))
    assert veteran.priority_care.get().disability_grade == 4
    assert veteran.family.get().name == "赵小红"
    kinds = set(veteran.changes.values_list("kind", "field"))
    assert (ChangeKind.CREATE, "") in kinds and (ChangeKind.UPDATE, "family") in kinds


def test_duplicate_id_in_admin_form_names_the_existing_record_and_saves_nothing(client, tree):
    existing = make_veteran(tree["grid_a11"], name="原档案")
    client.force_login(make_staff(tree["community_a1"]))
    data = {
        "grid": tree["grid_a12"].pk,
        "name": "重复",
        "id_number": existing.id_number,
        "veteran_type": "demobilised",
        "life_status": "alive",
        "priority_care-TOTAL_FORMS": "0",
        "priority_care-INITIAL_FORMS": "0",
        "family-TOTAL_FORMS": "0",
        "family-INITIAL_FORMS": "0",
        "honours-TOTAL_FORMS": "0",
        "honours-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 200
    assert "原档案" in response.content.decode()
    assert Veteran.objects.count() == 1


def test_invalid_inline_saves_nothing_at_all(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    number = next_id_number()
    data = {
        "grid": tree["grid_a12"].pk,
        "name": "钱",
        "id_number": number,
        "veteran_type": "demobilised",
        "life_status": "alive",
        "priority_care-TOTAL_FORMS": "1",
        "priority_care-INITIAL_FORMS": "0",
        "priority_care-0-category": "disabled",
        "priority_care-0-disability_grade": "12",
        "family-TOTAL_FORMS": "0",
        "family-INITIAL_FORMS": "0",
        "honours-TOTAL_FORMS": "0",
        "honours-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 200
    assert not Veteran.objects.exists()


def test_actions_plaque_move_and_remove(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(tree["street_a"]))
    url = reverse(CHANGELIST)
    client.post(url, {"action": "mark_plaque_hung", "_selected_action": [veteran.pk]})
    veteran.refresh_from_db()
    assert veteran.glory_plaque_hung_on is not None
    response = client.post(url, {"action": "move_to_grid", "_selected_action": [veteran.pk]})
    assert response.status_code == 200 and "迁入网格" in response.content.decode()
    client.post(
        url,
        {
            "action": "move_to_grid",
            "_selected_action": [veteran.pk],
            "apply": "1",
            "grid": tree["grid_a21"].pk,
            "reason": "搬迁",
        },
    )
    veteran.refresh_from_db()
    assert veteran.grid_id == tree["grid_a21"].pk
    client.post(
        url,
        {"action": "remove_records", "_selected_action": [veteran.pk], "apply": "1", "reason": "已故补录"},
    )
    veteran.refresh_from_db()
    assert veteran.removed_reason == "已故补录"


def test_move_cannot_target_a_grid_outside_scope(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    client.force_login(make_staff(tree["street_a"]))
    client.post(
        reverse(CHANGELIST),
        {
            "action": "move_to_grid",
            "_selected_action": [veteran.pk],
            "apply": "1",
            "grid": tree["grid_b11"].pk,
            "reason": "x",
        },
    )
    veteran.refresh_from_db()
    assert veteran.grid_id == tree["grid_a11"].pk


def test_leader_without_reveal_permission_sees_masked_change_form(client, tree):
    veteran = make_veteran(tree["grid_a11"])
    admin_user = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    client.force_login(admin_user)
    # System admins have no veteran permissions at all.
    assert client.get(reverse("admin:veterans_veteran_change", args=[veteran.pk])).status_code == 403


def test_grid_worker_cannot_open_the_admin(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse(CHANGELIST)).status_code == 302


@pytest.mark.parametrize("count", [5, 30])
def test_changelist_query_count_does_not_grow_with_rows(client, tree, count, django_assert_max_num_queries):
    for _ in range(count):
        make_veteran(tree["grid_a11"], categories=[(PriorityCategory.KOREAN_WAR, None)])
    client.force_login(make_staff(tree["district"]))
    with django_assert_max_num_queries(14):
        assert client.get(reverse(CHANGELIST)).status_code == 200
