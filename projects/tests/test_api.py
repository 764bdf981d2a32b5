"""The API: lists in scope, the steps through the services, refusals as 400 with the message,
rows of another area answered as if they did not exist."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import ProjectStatus, ServiceDelivery, ServiceNeed, ServiceProject
from projects.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_worker_records_a_need_and_lists_only_their_grid(people, veterans, item):
    api = _api(people["worker"])
    body = {"person": veterans["mine"].pk, "item": item.pk, "description": "上门理发", "source": "visit"}
    created = api.post("/api/service-needs/", body | {"recorded_on": DAY.isoformat()}, format="json")
    assert created.status_code == 201 and created.json()["person_name"] == "王德顺"
    elsewhere = api.post(
        "/api/service-needs/", body | {"person": veterans["theirs"].pk, "recorded_on": DAY.isoformat()}, format="json"
    )
    assert elsewhere.status_code == 400 and "李长青" not in elsewhere.content.decode()
    assert [row["id"] for row in api.get("/api/service-needs/").json()["results"]] == [created.json()["id"]]
    assert ServiceNeed.objects.count() == 1


def test_the_whole_path_through_the_api(people, need, veterans):
    station, today = _api(people["station"]), timezone.localdate().isoformat()
    proposed = station.post(
        "/api/service-projects/",
        {"title": "上门体检", "needs": [need.pk], "people": [veterans["neighbour"].pk], "proposed_on": today},
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    url = f"/api/service-projects/{proposed.json()['id']}/"
    own = station.post(url + "review/", {"approve": True, "reviewed_on": today}, format="json")
    assert own.status_code == 400 and "不能审核自己" in own.content.decode()
    leader = _api(people["leader"])
    assert leader.post(url + "review/", {"approve": True, "reviewed_on": today}, format="json").status_code == 200
    negative = station.post(url + "deliver/", {"delivered_on": today, "delivered_by": "卫生院", "cost": "-1"})
    assert negative.status_code == 400 and not ServiceDelivery.objects.exists()
    delivered = station.post(url + "deliver/", {"delivered_on": today, "delivered_by": "卫生院", "cost": "80.00"})
    assert delivered.status_code == 200 and delivered.json()["status"] == ProjectStatus.DELIVERED
    deliveries = {row["person_name"]: row["id"] for row in delivered.json()["deliveries"]}
    worker = _api(people["worker"])
    mine = {"delivery": deliveries["王德顺"], "satisfaction": 5, "comment": "好", "evaluated_on": today}
    assert worker.post(url + "evaluate/", mine, format="json").status_code == 404  # the project is the street's
    rated = station.post(url + "evaluate/", mine, format="json")
    assert rated.status_code == 200
    six = {"delivery": deliveries["陈永福"], "satisfaction": 6, "evaluated_on": today}
    assert station.post(url + "evaluate/", six, format="json").status_code == 400
    assert ServiceProject.objects.get().status == ProjectStatus.DELIVERED


def test_another_street_sees_no_project_and_cannot_step_it(people, proposed):
    api = _api(people["other_station"])
    assert api.get("/api/service-projects/").json()["results"] == []
    review = {"approve": True, "reviewed_on": datetime.date.today().isoformat()}
    assert api.post(f"/api/service-projects/{proposed.pk}/review/", review, format="json").status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == ProjectStatus.PROPOSED


def test_the_catalogue_filters_by_level(people, item):
    api = _api(people["worker"])
    assert [row["name"] for row in api.get("/api/service-items/", {"level": "town"}).json()["results"]] == [
        "上门健康体检"
    ]
    assert api.get("/api/service-items/", {"level": "county"}).json()["results"] == []
