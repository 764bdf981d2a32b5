import pytest
from rest_framework.test import APIClient

from grids.scoping import SYSTEM
from party.models import FollowUp, Membership
from party.services import followup_open
from party.tests.conftest import DAY
from veterans.tests.factories import make_veteran


@pytest.fixture
def api():
    def signed_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return signed_in


def test_station_brings_a_pocket_member_in_through_the_api(api, members, people, branches):
    client = api(people["station"])
    opened = client.post("/api/party-follow-ups/", {"person": members["pocket"].pk, "opened_on": str(DAY)})
    assert opened.status_code == 201, opened.json()
    pk = opened.json()["id"]
    assigned = client.post(f"/api/party-follow-ups/{pk}/assign/", {"assigned_to": people["worker"].pk})
    assert assigned.json()["assigned_to"] == people["worker"].pk
    step = api(people["worker"]).post(
        f"/api/party-follow-ups/{pk}/steps/", {"on": str(DAY), "kind": "contact", "note": "电话联系"}
    )
    assert step.status_code == 200 and step.json()["steps"][0]["note"] == "电话联系"
    refused = client.post(f"/api/party-follow-ups/{pk}/close/", {"closed_on": str(DAY)})
    assert refused.status_code == 400 and "尚未转入任何党组织" in str(refused.json())
    closed = client.post(
        f"/api/party-follow-ups/{pk}/close/",
        {"closed_on": str(DAY), "organisation": branches["a1"].pk, "joined_on": str(DAY)},
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed" and closed.json()["organisation"] == branches["a1"].pk
    members["pocket"].refresh_from_db()
    assert members["pocket"].party_relation == "in_place"


def test_lists_show_only_the_callers_area(api, members, people, branches):
    followup_open(person=members["pocket"], acting_user=SYSTEM)
    followup_open(person=members["mobile"], acting_user=SYSTEM)
    client = api(people["station"])
    names = [row["person_name"] for row in client.get("/api/party-follow-ups/").json()["results"]]
    assert names == ["王德顺"]
    organisations = [row["name"] for row in client.get("/api/party-organisations/").json()["results"]]
    assert organisations == ["a1社区退役军人党支部"]


def test_another_areas_follow_up_is_not_found_and_unchanged(api, members, people):
    theirs = followup_open(person=members["mobile"], acting_user=SYSTEM)
    client = api(people["station"])
    assert client.get(f"/api/party-follow-ups/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/api/party-follow-ups/{theirs.pk}/steps/", {"on": str(DAY), "kind": "contact", "note": "x"}
    )
    assert response.status_code == 404 and "李长青" not in response.content.decode()
    assert not FollowUp.objects.get(pk=theirs.pk).steps.exists()


def test_a_membership_in_another_areas_branch_is_refused(api, members, people, branches):
    response = api(people["station"]).post(
        "/api/party-memberships/",
        {"person": members["in_place"].pk, "organisation": branches["b1"].pk, "joined_on": str(DAY)},
    )
    assert response.status_code == 400
    assert not Membership.objects.exists()


def test_a_grid_worker_cannot_open_or_close(api, members, people):
    client = api(people["worker"])
    assert client.post("/api/party-follow-ups/", {"person": members["pocket"].pk}).status_code == 403
    assert client.get("/api/party-follow-ups/").status_code == 200


def test_the_follow_up_filters_choose_by_status_and_overdue(api, members, people, tree):
    import datetime

    from django.utils import timezone

    second = make_veteran(tree["grid_a12"], name="钱二", is_party_member=True, party_relation="mobile")
    followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=timezone.localdate() - datetime.timedelta(40))
    followup_open(person=second, acting_user=SYSTEM)
    client = api(people["station"])

    def names(**params):
        return sorted(row["person_name"] for row in client.get("/api/party-follow-ups/", params).json()["results"])

    assert names(overdue="true") == ["王德顺"]
    assert names(overdue="false") == ["钱二"]
    assert names(status="open") == ["王德顺", "钱二"] and names(status="closed") == []
    assert names(grid=tree["grid_a12"].pk) == ["钱二"]
