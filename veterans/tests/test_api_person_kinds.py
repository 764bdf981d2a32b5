"""The API files every kind of person, the soldier nested in the record."""

import pytest
from rest_framework.test import APIClient

from grids.tests.factories import make_staff
from veterans.models import ChangeKind, PersonKind, SoldierStatus, SourceSoldier, Veteran, VeteranChange
from veterans.tests.factories import make_survivor, make_veteran, next_id_number

LIST = "/api/veterans/"
SOLDIER = {
    "name": "王志刚",
    "unit": "某部三营",
    "relation": "parent",
    "death_date": "1984-07-12",
    "death_place": "云南老山",
    "certificate_number": "LS-1984-0032",
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _mother(tree, **extra):
    return {
        "grid": tree["grid_a11"].pk,
        "name": "刘桂英",
        "id_number": next_id_number(gender="F"),
        "person_kind": "martyr_survivor",
        "source_soldier": SOLDIER,
        **extra,
    }


def test_martyrs_mother_is_filed_through_the_api(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(LIST, _mother(tree), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["person_kind"] == "martyr_survivor"
    assert body["veteran_type"] == ""
    assert body["source_soldier"]["name"] == "王志刚"
    assert body["source_soldier"]["status"] == SoldierStatus.MARTYR
    assert body["source_soldier"]["status_display"] == "烈士"
    mother = Veteran.objects.get(pk=body["id"])
    assert mother.person_kind == PersonKind.MARTYR_SURVIVOR
    assert mother.source_soldier.certificate_number == "LS-1984-0032"
    assert VeteranChange.objects.filter(veteran=mother, kind=ChangeKind.CREATE, field="source_soldier").exists()


def test_api_refuses_a_survivor_without_her_soldier(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    data = _mother(tree)
    del data["source_soldier"]
    response = client.post(LIST, data, format="json")
    assert response.status_code == 400
    assert "烈士遗属的档案必须填写其来源军人" in str(response.json())
    assert not Veteran.objects.exists()
    assert not SourceSoldier.objects.exists()


def test_api_refuses_service_history_on_a_survivor(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(LIST, _mother(tree, branch="army"), format="json")
    assert response.status_code == 400
    assert "服役军种只适用于退役军人" in str(response.json()["branch"])
    assert not Veteran.objects.exists()


def test_old_clients_still_file_veterans(tree):
    client = api(make_staff(grids=[tree["grid_a11"]]))
    data = {"grid": tree["grid_a11"].pk, "name": "老兵", "id_number": next_id_number(), "veteran_type": "demobilised"}
    response = client.post(LIST, data, format="json")
    assert response.status_code == 201
    assert response.json()["person_kind"] == "veteran" and response.json()["source_soldier"] is None
    assert Veteran.objects.get().person_kind == PersonKind.VETERAN


def test_soldier_file_out_of_scope_does_not_exist(tree):
    elsewhere = make_veteran(tree["grid_b11"], name="别处")
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.post(LIST, _mother(tree, source_soldier={**SOLDIER, "soldier_file": elsewhere.pk}), format="json")
    assert response.status_code == 400
    assert "别处" not in response.content.decode()
    assert not SourceSoldier.objects.exists()


def test_patch_changes_the_soldier_and_keeps_him_when_left_out(tree):
    mother = make_survivor(tree["grid_a11"])
    client = api(make_staff(grids=[tree["grid_a11"]]))
    response = client.patch(f"{LIST}{mother.pk}/", {"skills": "缝纫"}, format="json")
    assert response.status_code == 200
    assert response.json()["source_soldier"]["certificate_number"] == "LS-1984-0032"
    response = client.patch(
        f"{LIST}{mother.pk}/", {"source_soldier": {**SOLDIER, "certificate_number": "LS-9"}}, format="json"
    )
    assert response.status_code == 200
    mother.source_soldier.refresh_from_db()
    assert mother.source_soldier.certificate_number == "LS-9"
    response = client.patch(f"{LIST}{mother.pk}/", {"source_soldier": None}, format="json")
    assert response.status_code == 400
    assert SourceSoldier.objects.filter(person=mother).exists()


def test_person_kind_filter(tree):
    make_veteran(tree["grid_a11"], name="老兵")
    make_survivor(tree["grid_a11"], name="遗属")
    make_survivor(
        tree["grid_a11"], name="军属", person_kind="serving_family", soldier={"name": "兵", "relation": "parent"}
    )
    client = api(make_staff(grids=[tree["grid_a11"]]))
    names = {row["name"] for row in client.get(LIST, {"person_kind": "martyr_survivor"}).json()["results"]}
    assert names == {"遗属"}
    names = {row["name"] for row in client.get(LIST, {"person_kind": "serving_family"}).json()["results"]}
    assert names == {"军属"}
    assert client.get(LIST, {"person_kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize("count", [3, 25])
def test_list_with_survivors_query_count_is_bounded(tree, count, django_assert_max_num_queries):
    for _ in range(count):
        make_survivor(tree["grid_a11"])
    client = api(make_staff(tree["district"]))
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200
    assert all(row["source_soldier"]["name"] == "王志刚" for row in response.json()["results"])


def test_schema_describes_the_kind_and_the_nested_soldier(client, tree):
    client.force_login(make_staff(tree["district"]))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    listed = components["VeteranList"]["properties"]
    assert "person_kind" in listed and "source_soldier" in listed
    write = components["VeteranWrite"]["properties"]
    assert write["source_soldier"].get("nullable") is True
    assert {"name", "relation", "status", "certificate_number"} <= set(components["SoldierInput"]["properties"])
    assert set(components["SoldierStatusEnum"]["enum"]) == {"martyr", "died_on_duty", "died_of_illness", "serving"}
    assert set(components["PersonKindEnum"]["enum"]) >= {"veteran", "martyr_survivor", "serving_family"}
    params = {p["name"] for p in schema["paths"]["/api/veterans/"]["get"]["parameters"]}
    assert "person_kind" in params
