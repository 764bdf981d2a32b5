import datetime

from rest_framework.test import APIClient

from grids.scoping import SYSTEM
from maps.homes import home_set
from maps.tiling import point_inside
from veterans.tests.factories import make_veteran


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _names(body) -> set[str]:
    return {feature["properties"]["name"] for feature in body["features"]}


def test_the_leader_gets_the_streets_of_the_district_with_their_drill_down_urls(bounded_tree, people):
    response = _api(people["leader"]).get("/api/map/areas/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["level"] == "street"
    assert _names(body) == {"甲街道", "乙街道"}
    street_a = next(f for f in body["features"] if f["properties"]["name"] == "甲街道")
    assert street_a["properties"] == {
        "id": bounded_tree["street_a"].pk,
        "code": bounded_tree["street_a"].code,
        "name": "甲街道",
        "level": "street",
        "url": f"/dashboard/?level=street&id={bounded_tree['street_a'].pk}",
    }
    assert street_a["geometry"]["type"] == "Polygon"


def test_the_children_of_a_given_area_and_a_lower_level_at_once(bounded_tree, people):
    community = bounded_tree["community_a1"]
    body = _api(people["station"]).get(f"/api/map/areas/?level=community&id={community.pk}").json()
    assert _names(body) == {"a1-1网格", "a1-2网格"}
    body = _api(people["leader"]).get("/api/map/areas/?show=grid&detail=coarse").json()
    assert len(body["features"]) == 8 and body["level"] == "grid"
    full = _api(people["leader"]).get("/api/map/areas/?show=grid&detail=full").json()
    assert (
        full["features"][0]["geometry"]["coordinates"][0][0][0]
        == body["features"][0]["geometry"]["coordinates"][0][0][0]
    )


def test_a_grid_worker_gets_only_their_own_grid(bounded_tree, people):
    worker = _api(people["worker"])
    assert _names(worker.get("/api/map/areas/").json()) == {"a1-1网格"}
    grid_a11 = bounded_tree["grid_a11"]
    # Another worker gets nothing of it: not the grid, nor the community around it.
    other = _api(people["other_worker"])
    assert other.get(f"/api/map/areas/?level=grid&id={grid_a11.pk}").status_code == 404
    community = bounded_tree["community_a1"]
    assert other.get(f"/api/map/areas/?level=community&id={community.pk}").status_code == 404
    assert _names(other.get("/api/map/areas/").json()) == {"b1-1网格"}


def test_a_station_of_another_street_gets_nothing_of_this_one(bounded_tree, people):
    other = _api(people["other_station"])
    street_a = bounded_tree["street_a"]
    assert other.get(f"/api/map/areas/?level=street&id={street_a.pk}").status_code == 404
    assert _names(other.get("/api/map/areas/").json()) == {"b1社区", "b2社区"}


def test_bad_parameters_are_refused(bounded_tree, people):
    leader = _api(people["leader"])
    assert leader.get("/api/map/areas/?detail=huge").status_code == 400
    assert leader.get("/api/map/areas/?show=district").status_code == 400
    assert leader.get("/api/map/areas/?level=street&id=abc").status_code == 404
    assert APIClient().get("/api/map/areas/").status_code in (401, 403)


def test_areas_without_boundaries_are_counted_not_drawn(tree, people):
    body = _api(people["leader"]).get("/api/map/areas/").json()
    assert body["features"] == [] and body["without_boundary"] == 2


def _home(veteran, bounds, fx=0.5, fy=0.5):
    longitude, latitude = point_inside(bounds, fx, fy)
    return home_set(veteran=veteran, longitude=f"{longitude:.6f}", latitude=f"{latitude:.6f}", acting_user=SYSTEM)


def test_the_homes_of_a_grid_carry_masked_names_status_and_the_persons_page(bounded_tree, bounds, people):
    grid = bounded_tree["grid_a11"]
    today = datetime.date.today()
    late = make_veteran(grid, name="王德顺")
    _home(late, bounds["grid_a11"])
    from veterans.models import Veteran

    Veteran.objects.filter(pk=late.pk).update(visit_due_on=today - datetime.timedelta(days=3))
    make_veteran(grid, name="李无家")  # no home position: not drawn
    body = _api(people["worker"]).get(f"/api/map/homes/?grid={grid.pk}").json()
    assert len(body["features"]) == 1
    point = body["features"][0]
    assert point["properties"]["name"] == "王*顺" and point["properties"]["status"] == "overdue"
    assert point["properties"]["url"] == f"/m/v/{late.pk}/"
    assert point["geometry"]["coordinates"][0] > 117
    station = _api(people["station"]).get(f"/api/map/homes/?grid={grid.pk}").json()
    assert station["features"][0]["properties"]["url"] == f"/admin/veterans/veteran/{late.pk}/change/"


def test_a_grid_worker_of_another_grid_gets_no_homes(bounded_tree, bounds, people):
    grid = bounded_tree["grid_a11"]
    _home(make_veteran(grid), bounds["grid_a11"])
    other = _api(people["other_worker"])
    assert other.get(f"/api/map/homes/?grid={grid.pk}").status_code == 404
    assert other.get("/api/map/homes/").status_code == 404
    assert _api(people["other_station"]).get(f"/api/map/homes/?grid={grid.pk}").status_code == 404


def test_a_grid_worker_of_two_grids_gets_both_and_no_other(bounded_tree):
    from grids.tests.factories import make_staff

    worker = make_staff(grids=[bounded_tree["grid_a11"], bounded_tree["grid_b22"]])
    assert _names(_api(worker).get("/api/map/areas/").json()) == {"a1-1网格", "b2-2网格"}
