import datetime

import pytest
from rest_framework.test import APIClient

from honours.models import MeritNotice, Nomination, Selection
from honours.services import nomination_add, selection_close_nominations

DAY = datetime.timedelta(days=1)


@pytest.fixture
def api():
    return APIClient()


def test_station_logs_a_notice_and_the_worker_delivers_it(api, people, persons, today):
    api.force_authenticate(people["station"])
    created = api.post(
        "/api/merit-notices/",
        {"family": persons["family"].pk, "merit_kind": "second_class", "received_on": today.isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["soldier_name"] == "王小兵" and created.json()["delivered_on"] is None
    pk = created.json()["id"]
    api.force_authenticate(people["worker"])
    assert [n["id"] for n in api.get("/api/merit-notices/", {"delivery": "waiting"}).json()["results"]] == [pk]
    delivered = api.post(
        f"/api/merit-notices/{pk}/deliver/",
        {"delivered_on": today.isoformat(), "delivery_way": "home", "note": "父亲签收"},
        format="json",
    )
    assert delivered.status_code == 200 and delivered.json()["delivered_on"] == today.isoformat()
    assert MeritNotice.objects.get().delivered_by == people["worker"]


def test_impossible_delivery_day_is_a_400_naming_the_field(api, people, receive_notice, today):
    notice = receive_notice(days_ago=2)
    api.force_authenticate(people["worker"])
    response = api.post(
        f"/api/merit-notices/{notice.pk}/deliver/",
        {"delivered_on": (today - 5 * DAY).isoformat(), "delivery_way": "home"},
        format="json",
    )
    assert response.status_code == 400 and "delivered_on" in response.json()
    notice.refresh_from_db()
    assert notice.delivered_on is None


def test_another_grids_notice_is_not_found(api, people, receive_notice, today):
    notice = receive_notice()
    api.force_authenticate(people["other_worker"])
    assert api.get(f"/api/merit-notices/{notice.pk}/").status_code == 404
    response = api.post(
        f"/api/merit-notices/{notice.pk}/deliver/", {"delivered_on": today.isoformat(), "delivery_way": "home"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 404 and "刘桂英" not in response.content.decode()
    assert api.get("/api/merit-notices/").json()["count"] == 0


def test_selection_and_nomination_round_trip(api, tree, people, persons, today):
    api.force_authenticate(people["center"])
    created = api.post(
        "/api/selections/",
        {"district": tree["district"].pk, "name": "年度最美退役军人", "kind": "most_beautiful", "level": "district",
         "year": today.year, "nomination_deadline": (today + 3 * DAY).isoformat()},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    selection_id = created.json()["id"]
    api.force_authenticate(people["station"])
    assert [s["id"] for s in api.get("/api/selections/").json()["results"]] == [selection_id]
    nominated = api.post(
        "/api/nominations/",
        {"selection": selection_id, "veteran": persons["veteran"].pk, "nominated_by": "甲街道", "reason": "事迹"},
        format="json",
    )
    assert nominated.status_code == 201 and nominated.json()["status"] == "nominated"
    outside = api.post(
        "/api/nominations/",
        {"selection": selection_id, "veteran": persons["theirs"].pk, "nominated_by": "甲街道", "reason": "事迹"},
        format="json",
    )
    assert outside.status_code == 400 and "veteran" in outside.json()
    early = api.post(
        f"/api/nominations/{nominated.json()['id']}/decide/", {"selected": True, "decided_on": today.isoformat()},
        format="json",
    )  # fmt: skip
    assert early.status_code == 400 and "status" in early.json()
    api.force_authenticate(people["leader"])
    assert api.post(f"/api/selections/{selection_id}/close/").status_code == 200
    decided = api.post(
        f"/api/nominations/{nominated.json()['id']}/decide/", {"selected": True, "decided_on": today.isoformat()},
        format="json",
    )  # fmt: skip
    assert decided.status_code == 200 and decided.json()["status"] == "selected"
    announced = api.post(f"/api/selections/{selection_id}/announce/", {"announced_on": today.isoformat()})
    assert announced.status_code == 200 and announced.json()["status"] == "announced"


def test_a_street_station_cannot_open_a_district_round(api, tree, people, today):
    api.force_authenticate(people["station"])
    response = api.post(
        "/api/selections/",
        {"district": tree["district"].pk, "name": "评选", "kind": "other", "level": "district", "year": today.year,
         "nomination_deadline": (today + DAY).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and not Selection.objects.exists()


def test_grid_worker_sees_no_rounds_and_other_streets_see_no_nominations(api, people, persons, open_selection):
    selection = open_selection()
    nomination_add(selection=selection, veteran=persons["veteran"], nominated_by="社区", reason="事迹",
                   acting_user=people["station"])  # fmt: skip
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    api.force_authenticate(people["worker"])
    assert api.get("/api/selections/").status_code == 403
    assert api.get("/api/nominations/").json()["count"] == 1  # the worker's own grid
    api.force_authenticate(people["other_station"])
    assert api.get("/api/nominations/").json()["count"] == 0
    pk = Nomination.objects.get().pk
    assert api.get(f"/api/nominations/{pk}/").status_code == 404


def test_lists_run_a_bounded_number_of_queries(api, people, persons, receive_notice, django_assert_max_num_queries):
    for days in range(4):
        receive_notice(days_ago=days)
    api.force_authenticate(people["station"])
    for url in ("/api/merit-notices/", "/api/nominations/", "/api/selections/"):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200
