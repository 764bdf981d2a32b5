"""/api/pairings/ and /api/pair-contacts/: scoped lists, writes through the services, refusals
that say nothing about other areas, phones masked."""

import pytest
from rest_framework.test import APIClient

from pairing.models import Pair, PairContact, PairGift
from pairing.tests.conftest import START


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_a_station_starts_a_pair_and_reads_it_back_masked(api, people, persons):
    body = {
        "veteran": persons["old"].pk,
        "partner_kind": "enterprise",
        "partner_name": "张经理",
        "partner_organisation": "镇坪县富民农业公司",
        "contact_phone": "13900001234",
        "started_on": START.isoformat(),
    }
    response = api(people["station"]).post("/api/pairings/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["contact_phone"] == "139****1234"
    assert Pair.objects.get().partner_organisation == "镇坪县富民农业公司"


def test_a_pair_outside_the_area_is_refused_as_unknown(api, people, persons):
    body = {"veteran": persons["theirs"].pk, "partner_kind": "cadre", "partner_name": "刘", "started_on": "2026-03-01"}
    response = api(people["station"]).post("/api/pairings/", body, format="json")
    assert response.status_code == 400 and "李长青" not in response.content.decode()
    assert not Pair.objects.exists()


def test_lists_keep_to_scope_and_filter_by_key_group(api, people, persons, make_pair):
    make_pair()
    make_pair(persons["young"], partner_kind="volunteer")
    make_pair(persons["theirs"], by=people["other_station"])
    client = api(people["station"])
    assert len(client.get("/api/pairings/").json()["results"]) == 2
    names = [row["veteran_name"] for row in client.get("/api/pairings/", {"key_group": "any"}).json()["results"]]
    assert names == ["王德顺"]
    assert api(people["worker"]).get("/api/pairings/").json()["count"] == 2


def test_a_contact_a_gift_and_the_end_go_through_the_services(api, people, make_pair):
    pair = make_pair()
    worker = api(people["worker"])
    response = worker.post("/api/pair-contacts/", {"pair": pair.pk, "contacted_on": START.isoformat()}, format="json")
    assert response.status_code == 201 and response.json()["way"] == "home_visit"
    early = worker.post("/api/pair-contacts/", {"pair": pair.pk, "contacted_on": "2026-02-01"}, format="json")
    assert early.status_code == 400 and PairContact.objects.count() == 1
    station = api(people["station"])
    gift = station.post(f"/api/pairings/{pair.pk}/gifts/", {"given_on": START, "description": "米"}, format="json")
    assert gift.status_code == 200 and PairGift.objects.count() == 1
    negative = {"given_on": START, "description": "米", "value": "-1"}
    assert station.post(f"/api/pairings/{pair.pk}/gifts/", negative, format="json").status_code == 400
    ended = station.post(f"/api/pairings/{pair.pk}/end/", {"ended_on": START, "end_reason": "other"}, format="json")
    assert ended.status_code == 200 and ended.json()["active"] is False
    assert worker.get("/api/pair-contacts/", {"pair": pair.pk}).json()["count"] == 1


def test_another_grids_worker_cannot_reach_the_pair(api, people, make_pair):
    pair = make_pair()
    other = api(people["other_worker"])
    assert other.get(f"/api/pairings/{pair.pk}/").status_code == 404
    response = other.post("/api/pair-contacts/", {"pair": pair.pk, "contacted_on": START}, format="json")
    assert response.status_code == 400 and "王德顺" not in response.content.decode()


def test_the_lists_cost_the_same_queries_whatever_their_length(api, people, persons, make_pair, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pairing.services import pair_contact_record
    from veterans.tests.factories import make_veteran

    client = api(people["station"])

    def cost():
        with CaptureQueriesContext(connection) as pairs:
            client.get("/api/pairings/")
        with CaptureQueriesContext(connection) as contacts:
            client.get("/api/pair-contacts/")
        return len(pairs), len(contacts)

    pair_contact_record(pair=make_pair(), contacted_on=START, acting_user=people["worker"])
    before = cost()
    for n in range(4):
        person = make_veteran(tree["grid_a12"], name=f"老兵{n}")
        pair_contact_record(pair=make_pair(person), contacted_on=START, acting_user=people["station"])
    assert cost() == before
