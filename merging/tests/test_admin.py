from django.urls import reverse

from core.masking import mask_id_number
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from merging.finder import pairs_find
from merging.models import DuplicatePair, PairStatus
from veterans.tests.factories import make_veteran

CHANGELIST = "admin:merging_duplicatepair_changelist"
CHANGE = "admin:merging_duplicatepair_change"


def _pair(grid_one, grid_two, name="张建国"):
    first = make_veteran(grid_one, name=name, phone="")
    second = make_veteran(grid_two, name=name, phone="")
    pairs_find(acting_user=SYSTEM)
    return DuplicatePair.objects.get(first=first, second=second)


def test_station_queue_lists_only_pairs_with_both_files_in_scope(client, tree):
    inside = _pair(tree["grid_a11"], tree["grid_a12"])
    _pair(tree["grid_a11"], tree["grid_b11"], name="李秀兰")  # one file outside community a1
    client.force_login(make_staff(tree["community_a1"]))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [inside]
    assert "李秀兰" not in response.content.decode()
    assert mask_id_number(inside.first.id_number) in response.content.decode()
    assert inside.first.id_number not in response.content.decode()


def test_pair_with_a_file_outside_scope_is_not_found(client, tree):
    outside = _pair(tree["grid_a11"], tree["grid_b11"])
    client.force_login(make_staff(tree["community_a1"]))

    response = client.get(reverse(CHANGE, args=[outside.pk]))
    posted = client.post(
        reverse(CHANGE, args=[outside.pk]), {"survivor": outside.first_id, "reason": "x", "merge": "1"}
    )

    assert response.status_code == 404 and posted.status_code == 404
    outside.refresh_from_db()
    assert outside.status == PairStatus.PENDING


def test_station_merges_choosing_the_survivor(client, tree):
    pair = _pair(tree["grid_a11"], tree["grid_a12"])
    staff = make_staff(tree["community_a1"])
    client.force_login(staff)

    page = client.get(reverse(CHANGE, args=[pair.pk]))
    response = client.post(
        reverse(CHANGE, args=[pair.pk]), {"survivor": pair.second_id, "reason": "同一人", "merge": "1"}
    )

    assert page.status_code == 200 and mask_id_number(pair.second.id_number) in page.content.decode()
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED and pair.survivor_id == pair.second_id and pair.decided_by == staff
    pair.first.refresh_from_db()
    assert pair.first.removed_at is not None


def test_merge_without_a_survivor_is_refused_and_nothing_written(client, tree):
    pair = _pair(tree["grid_a11"], tree["grid_a12"])
    client.force_login(make_staff(tree["community_a1"]))

    response = client.post(reverse(CHANGE, args=[pair.pk]), {"reason": "同一人", "merge": "1"})

    assert response.status_code == 200
    assert "请选择保留哪份档案" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_station_rejects_not_the_same_person(client, tree):
    pair = _pair(tree["grid_a11"], tree["grid_a12"])
    client.force_login(make_staff(tree["community_a1"]))

    response = client.post(reverse(CHANGE, args=[pair.pk]), {"reason": "同名同生日", "reject": "1"})

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.decision_reason == "同名同生日"
