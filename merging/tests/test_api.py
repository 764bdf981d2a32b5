import pytest
from rest_framework.test import APIClient

from core.masking import mask_id_number
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from merging.finder import pairs_find
from merging.models import DuplicatePair, PairStatus
from merging.services import pair_reject
from veterans.tests.factories import make_veteran


@pytest.fixture
def world(tree):
    inside = [
        make_veteran(tree["grid_a11"], name="张建国", phone=""),
        make_veteran(tree["grid_a12"], name="张建国", phone=""),
    ]
    rejected = [
        make_veteran(tree["grid_a11"], name="王芳", phone=""),
        make_veteran(tree["grid_a11"], name="王芳", phone=""),
    ]
    outside = [
        make_veteran(tree["grid_b11"], name="李秀兰", phone=""),
        make_veteran(tree["grid_b12"], name="李秀兰", phone=""),
    ]
    pairs_find(acting_user=SYSTEM)
    pair_reject(pair=DuplicatePair.objects.get(first=rejected[0]), reason="两人", acting_user=SYSTEM)
    client = APIClient()
    staff = make_staff(tree["community_a1"])
    client.force_authenticate(staff)
    return {
        "client": client,
        "staff": staff,
        "inside": DuplicatePair.objects.get(first=inside[0]),
        "outside": DuplicatePair.objects.get(first=outside[0]),
    }


def test_list_shows_only_pairs_in_scope_with_masked_numbers(world):
    response = world["client"].get("/api/duplicate-pairs/?status=pending")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world["inside"].pk]
    first = response.json()["results"][0]["first"]
    assert first["id_number"] == mask_id_number(world["inside"].first.id_number)
    assert "李秀兰" not in response.content.decode()


def test_list_filters_by_status(world):
    response = world["client"].get("/api/duplicate-pairs/?status=rejected")

    assert [row["status"] for row in response.json()["results"]] == ["rejected"]


def test_merge_by_api_keeps_the_chosen_file(world):
    pair = world["inside"]

    response = world["client"].post(
        f"/api/duplicate-pairs/{pair.pk}/merge/", {"survivor": pair.second_id, "reason": "同一人"}, format="json"
    )

    assert response.status_code == 200 and response.json()["status"] == "merged"
    pair.refresh_from_db()
    assert pair.survivor_id == pair.second_id and pair.decided_by == world["staff"]
    pair.first.refresh_from_db()
    assert pair.first.removed_at is not None


def test_merge_of_a_file_outside_the_pair_is_refused_and_nothing_written(world):
    pair = world["inside"]

    response = world["client"].post(
        f"/api/duplicate-pairs/{pair.pk}/merge/", {"survivor": world["outside"].first_id, "reason": "x"}, format="json"
    )

    assert response.status_code == 400
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_out_of_scope_pair_answers_404_to_every_action(world):
    pair = world["outside"]
    client = world["client"]

    answers = [
        client.get(f"/api/duplicate-pairs/{pair.pk}/").status_code,
        client.post(f"/api/duplicate-pairs/{pair.pk}/reject/", {"reason": "x"}, format="json").status_code,
        client.post(f"/api/duplicate-pairs/{pair.pk}/undo/", {"reason": "x"}, format="json").status_code,
    ]

    assert answers == [404, 404, 404]
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_leader_may_look_but_not_decide(world, tree):
    client = APIClient()
    client.force_authenticate(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    pair = world["inside"]

    response = client.post(f"/api/duplicate-pairs/{pair.pk}/reject/", {"reason": "x"}, format="json")

    assert client.get(f"/api/duplicate-pairs/{pair.pk}/").status_code == 200
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING
