import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent
from core.masking import mask_id_number
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.models import ChangeKind, PriorityCategory, Veteran
from veterans.tests.factories import make_veteran, next_id_number


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


LIST = "/api/veterans/"


def test_list_is_scoped_paginated_and_masked(tree):
    mine = make_veteran(tree["grid_a11"], name="本网格")
    make_veteran(tree["grid_a12"], name="隔壁网格")
    worker = make_staff(grids=[tree["grid_a11"]])
    response = api(worker).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["name"] == "本网格"
    assert row["id_number"] == mask_id_number(mine.id_number)
    assert row["phone"] == "138****5678"
    assert mine.id_number not in response.content.decode()


def test_another_grids_record_is_a_404_for_read_and_write(tree):
    other = make_veteran(tree["grid_a12"], skills="")
    client = api(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(f"{LIST}{other.pk}/").status_code == 404
    assert client.patch(f"{LIST}{other.pk}/", {"skills": "越权"}, format="json").status_code == 404
    assert client.get(f"{LIST}{other.pk}/history/").status_code == 404
    assert client.get(f"{LIST}{other.pk}/identity/").status_code == 404
    other.refresh_from_db()
    assert other.skills == ""


def test_worker_cannot_create_in_another_grid(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(
        LIST,
        {"grid": tree["grid_a12"].pk, "name": "越界", "id_number": next_id_number(), "veteran_type": "demobilised"},
        format="json",
    )
    assert response.status_code == 400
    assert "grid" in response.json()
    assert not Veteran.objects.exists()


def test_create_with_categories_and_read_back(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    number = next_id_number()
    response = client.post(
        LIST,
        {
            "grid": tree["grid_a11"].pk,
            "name": "孙立功",
            "id_number": number,
            "veteran_type": "discharged_soldier",
            "priority_care": [{"category": "disabled", "disability_grade": 6}, {"category": "korean_war"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id_number"] == mask_id_number(number)
    assert {c["category"] for c in body["priority_care"]} == {"disabled", "korean_war"}
    assert "family" in body["missing_items"]
    assert Veteran.objects.get().priority_care.get(category="disabled").disability_grade == 6


def test_invalid_id_number_gives_a_400_with_the_reason(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(
        LIST,
        {"grid": tree["grid_a11"].pk, "name": "错号", "id_number": "110105194912310021", "veteran_type": "demobilised"},
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["id_number"][0]
    assert not Veteran.objects.exists()


def test_duplicate_id_over_the_api_names_the_existing_record(tree):
    existing = make_veteran(tree["grid_a11"], name="在册者")
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(
        LIST,
        {"grid": tree["grid_a11"].pk, "name": "新", "id_number": existing.id_number, "veteran_type": "demobilised"},
        format="json",
    )
    assert response.status_code == 400 and "在册者" in response.json()["id_number"][0]


def test_update_and_history(tree):
    veteran = make_veteran(tree["grid_a11"])
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.patch(f"{LIST}{veteran.pk}/", {"skills": "厨师", "phone": "13300002222"}, format="json")
    assert response.status_code == 200, response.json()
    history = client.get(f"{LIST}{veteran.pk}/history/").json()["results"]
    fields = {row["field"]: row for row in history if row["kind"] == ChangeKind.UPDATE}
    assert fields["skills"]["new_value"] == "厨师"
    assert fields["phone"]["new_value"] == "133****2222"


def test_identity_reveal_is_audited(tree):
    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(grids=[tree["grid_a11"]])
    response = api(worker).get(f"{LIST}{veteran.pk}/identity/")
    assert response.json() == {"id_number": veteran.id_number, "phone": veteran.phone}
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_SENSITIVE, actor=worker).count() == 1


def test_system_admin_has_no_access_to_personal_data(tree):
    make_veteran(tree["grid_a11"])
    client = api(make_staff(tree["district"], role=Role.SYSTEM_ADMIN))
    assert client.get(LIST).status_code == 403


def test_move_and_remove_through_the_api(tree):
    veteran = make_veteran(tree["grid_a11"])
    client = api(make_staff(tree["street_a"]))
    response = client.post(f"{LIST}{veteran.pk}/move/", {"grid": tree["grid_a21"].pk, "reason": "搬家"}, format="json")
    assert response.status_code == 200 and response.json()["grid"] == tree["grid_a21"].pk
    response = client.post(f"{LIST}{veteran.pk}/move/", {"grid": tree["grid_b11"].pk, "reason": "x"}, format="json")
    assert response.status_code == 404
    assert client.post(f"{LIST}{veteran.pk}/remove/", {"reason": "重复"}, format="json").status_code == 204
    assert client.get(f"{LIST}{veteran.pk}/").status_code == 404


def test_filters(tree):
    make_veteran(tree["grid_a11"], name="党员", is_party_member=True, party_relation="pocket")
    make_veteran(tree["grid_a21"], name="优抚", categories=[(PriorityCategory.MARTYR_FAMILY, None)])
    client = api(make_staff(tree["district"]))
    cases = {
        "party_relation=pocket": {"党员"},
        "category=martyr_family": {"优抚"},
        f"community={tree['community_a2'].pk}": {"优抚"},
        "q=dy": {"党员"},
        "complete=false": {"党员", "优抚"},
        "plaque_hung=true": set(),
    }
    for query, expected in cases.items():
        names = {row["name"] for row in client.get(f"{LIST}?{query}").json()["results"]}
        assert names == expected, query


@pytest.mark.parametrize("count", [3, 25])
def test_list_query_count_is_bounded(tree, count, django_assert_max_num_queries):
    for _ in range(count):
        make_veteran(tree["grid_a11"], categories=[(PriorityCategory.KOREAN_WAR, None)])
    client = api(make_staff(tree["district"]))
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_schema_and_docs_are_served_locally(client, tree):
    client.force_login(make_staff(tree["district"]))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/veterans/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "//cdn" not in docs and "unpkg" not in docs


def test_ledger_download_uses_filters_and_scope(client, tree):
    make_veteran(tree["grid_a11"], name="党员", is_party_member=True, party_relation="in_place")
    make_veteran(tree["grid_a11"], name="群众")
    make_veteran(tree["grid_b11"], name="外街道党员", is_party_member=True, party_relation="in_place")
    client.force_login(make_staff(tree["street_a"]))
    response = client.get(reverse("veteran_ledger", args=["classification"]), {"is_party_member": "true"})
    from veterans.tests.xlsx_helpers import read_xlsx

    rows = read_xlsx(b"".join(response.streaming_content))
    assert {row[1] for row in rows[1:]} == {"党员"}


def test_completeness_share_per_area(tree):
    from veterans.services import family_member_save

    complete = make_veteran(
        tree["grid_a11"],
        ethnicity="汉族",
        residence_address="某路1号",
        household_registration="天津",
        branch="army",
        enlistment_date=datetime.date(1968, 3, 1),
        discharge_date=datetime.date(1972, 1, 1),
        employment="retired",
        medical_insurance="employee",
    )
    family_member_save(veteran=complete, name="家属", relation="spouse", acting_user=SYSTEM)
    complete.refresh_from_db()
    assert complete.completeness == 100
    make_veteran(tree["grid_a11"])
    make_veteran(tree["grid_a21"])
    make_veteran(tree["grid_b11"])
    client = api(make_staff(tree["street_a"]))
    by_community = {row["area_name"]: row for row in client.get(f"{LIST}completeness/?level=community").json()}
    assert by_community == {
        "a1社区": {"area_id": tree["community_a1"].pk, "area_name": "a1社区", "total": 2, "complete": 1, "share": 50.0},
        "a2社区": {"area_id": tree["community_a2"].pk, "area_name": "a2社区", "total": 1, "complete": 0, "share": 0.0},
    }
    [street] = client.get(f"{LIST}completeness/?level=street").json()
    assert (street["total"], street["complete"]) == (3, 1)
    assert client.get(f"{LIST}completeness/?level=planet").status_code == 400


def test_area_and_completeness_filters_take_whole_numbers_only(tree):
    make_veteran(tree["grid_a11"])
    client = api(make_staff(tree["district"]))
    for query in ({"street": "-2.1e247"}, {"grid": "1.5"}, {"community": "9" * 30}, {"completeness_below": "1e300"}):
        response = client.get(LIST, query)
        assert response.status_code == 400 and set(response.json()) == set(query)
    assert client.get(LIST, {"grid": str(tree["grid_a11"].pk)}).json()["count"] == 1
    assert client.get(LIST, {"grid": "999999"}).json()["count"] == 0
