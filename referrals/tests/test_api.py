import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from grids.models import Role
from grids.tests.factories import StreetFactory
from referrals.models import Provider, Referral, ReferralStatus
from referrals.tests.factories import make_provider, make_referral, make_team, make_volunteer


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def test_a_referral_is_made_and_handled_to_its_outcome_through_the_api(people, veterans, providers):
    worker = _api(people["worker"])
    body = {"veteran": veterans["mine"].pk, "provider": providers["canteen"].pk, "need": "送餐", "referred_on": _day(5)}
    created = worker.post("/api/referrals/", body, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/referrals/{created.json()['id']}/"
    refused = worker.post(url + "accept/", {"answered_on": _day(4)}, format="json")
    assert refused.status_code == 403 and "权限" in str(refused.json())
    station = _api(people["station"])
    assert station.post(url + "accept/", {"answered_on": _day(4)}, format="json").json()["status"] == "accepted"
    early = station.post(url + "close/", {"outcome": "已送餐", "closed_on": _day(5)}, format="json")
    assert early.status_code == 400 and "不能早于接收日期" in early.json()["closed_on"][0]
    done = station.post(url + "close/", {"outcome": "已送餐", "closed_on": _day(1)}, format="json")
    assert done.status_code == 200 and done.json()["days_to_close"] == 4
    assert [n["kind"] for n in done.json()["notes"]] == ["refer", "accept", "close"]
    assert Referral.objects.get().status == ReferralStatus.CLOSED


def test_a_provider_of_another_district_is_refused_with_its_message(tree, people, veterans):
    elsewhere = make_provider(StreetFactory(name="外区街道").district, name="外区食堂")
    from grids.models import AreaLevel
    from grids.scoping import SYSTEM
    from grids.services import staff_account_create

    city = staff_account_create(
        username="city_center",
        password="x-Long-enough-9",
        full_name="市服务中心",
        role=Role.STATION_STAFF,
        scope_level=AreaLevel.CITY,
        acting_user=SYSTEM,
    ).user
    body = {"veteran": veterans["mine"].pk, "provider": elsewhere.pk, "need": "送餐", "referred_on": _day(0)}
    refused = _api(city).post("/api/referrals/", body, format="json")
    assert refused.status_code == 400
    assert "不在该服务对象所在区/县的服务机构名录中" in refused.json()["provider"][0]
    # A worker of the district does not even see the other district's provider.
    hidden = _api(people["worker"]).post("/api/referrals/", body, format="json")
    assert hidden.status_code == 400 and "外区食堂" not in hidden.content.decode()
    assert Referral.objects.count() == 0


def test_the_api_lists_referrals_of_the_callers_area_only(people, veterans, providers):
    mine = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"])
    rows = _api(people["worker"]).get("/api/referrals/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert _api(people["leader"]).get("/api/referrals/").json()["count"] == 2
    overdue = _api(people["leader"]).get("/api/referrals/", {"stage": "overdue"}).json()
    assert overdue["count"] == 2  # referred ten days ago: the follow-up a week later has passed


def test_providers_show_figures_over_the_callers_referrals_only(people, veterans, providers):
    done = make_referral(veterans["mine"], providers["canteen"], by=people["worker"], referred_on=timezone.localdate())
    from referrals.services import referral_answer, referral_close

    referral_answer(referral=done, accepted=True, answered_on=done.referred_on, acting_user=people["station"])
    referral_close(referral=done, outcome="好", closed_on=done.referred_on, acting_user=people["station"])
    make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"])
    rows = {p["name"]: p for p in _api(people["station"]).get("/api/providers/").json()["results"]}
    canteen = rows["幸福里助老食堂"]
    assert (canteen["received"], canteen["accepted"], canteen["closed"], canteen["average_days"]) == (1, 1, 1, "0.0")
    everyone = {p["name"]: p for p in _api(people["leader"]).get("/api/providers/").json()["results"]}
    assert everyone["幸福里助老食堂"]["received"] == 2 and everyone["荣军医院"]["received"] == 0
    assert everyone["荣军医院"]["average_days"] is None  # nothing closed yet: no average, not 0


def test_a_providers_average_days_to_close_are_exact_and_rounded_half_up(people, veterans, providers):
    from referrals.services import referral_answer, referral_close

    today = timezone.localdate()
    for days in (2, 2, 2, 3):  # 9 days over 4 referrals: 2.25, which a float rounds down to 2.2
        referral = make_referral(
            veterans["mine"], providers["canteen"], by=people["worker"], referred_on=today - datetime.timedelta(days)
        )
        referral_answer(referral=referral, accepted=True, answered_on=today, acting_user=people["station"])
        referral_close(referral=referral, outcome="好", closed_on=today, acting_user=people["station"])
    rows = {p["name"]: p for p in _api(people["station"]).get("/api/providers/").json()["results"]}
    assert (rows["幸福里助老食堂"]["closed"], rows["幸福里助老食堂"]["average_days"]) == (4, "2.3")
    assert Referral.objects.filter(status=ReferralStatus.CLOSED).count() == 4


def test_the_district_list_is_seen_in_the_district_and_kept_by_its_center(tree, people):
    other = StreetFactory(name="外区街道").district
    make_provider(other, name="外区医院", kind="hospital")
    team = make_team(tree["district"])
    make_volunteer(team)
    names = [p["name"] for p in _api(people["worker"]).get("/api/providers/").json()["results"]]
    assert names == []  # the fixture's providers are not asked for here; the other district's never shows
    volunteers = _api(people["station"]).get("/api/volunteers/").json()["results"]
    assert [(v["name"], v["phone"]) for v in volunteers] == [("陈志愿", "137****1111")]
    body = {"district": tree["district"].pk, "name": "军徽团", "kind": "legal"}
    refused = _api(people["station"]).post("/api/volunteer-teams/", body, format="json")
    assert refused.status_code == 400  # a street's station does not see the district as its own
    created = _api(people["center"]).post("/api/volunteer-teams/", body, format="json")
    assert created.status_code == 201, created.content
    provider = {
        "district": tree["district"].pk,
        "name": "军徽团",
        "kind": "volunteer_team",
        "team": created.json()["id"],
    }
    assert _api(people["center"]).post("/api/providers/", provider, format="json").status_code == 201
    assert Provider.objects.filter(name="军徽团", team_id=created.json()["id"]).exists()
