import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from employment.models import JobReferral
from employment.tests.factories import make_employer, make_profile
from grids.tests.factories import GridFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_profiles_are_listed_in_scope_with_a_status_filter(people, veterans):
    make_profile(veterans["mine"], status="seeking")
    make_profile(veterans["theirs"], status="employed")
    data = _api(people["leader"]).get("/api/employment/", {"status": "seeking"}).json()
    assert [row["person_name"] for row in data["results"]] == ["王德顺"]
    data = _api(people["station"]).get("/api/employment/").json()
    assert [row["person_name"] for row in data["results"]] == ["王德顺"]


def test_a_profile_of_another_street_is_not_found(people, veterans):
    theirs = make_profile(veterans["theirs"])
    response = _api(people["station"]).get(f"/api/employment/{theirs.pk}/")
    assert response.status_code == 404 and "李长青" not in response.content.decode()


def test_employers_are_read_district_wide_but_not_across_districts(people, employer):
    far = make_employer(GridFactory().district, name="外区企业")
    names = [row["name"] for row in _api(people["worker"]).get("/api/employers/").json().get("results", [])]
    assert names == []  # grid teams do not keep employers
    names = [row["name"] for row in _api(people["other_station"]).get("/api/employers/").json()["results"]]
    assert names == [employer.name]
    assert _api(people["station"]).get(f"/api/employers/{far.pk}/").status_code == 404


def test_a_referral_is_made_and_answered_through_the_api(people, veterans, employer):
    profile = make_profile(veterans["mine"], since=TODAY - 30 * DAY)
    api = _api(people["station"])
    body = {
        "person": veterans["mine"].pk,
        "employer": employer.pk,
        "position": "保安",
        "referred_on": TODAY.isoformat(),
    }
    created = api.post("/api/job-referrals/", body, format="json")
    assert created.status_code == 201, created.json()
    referral_id = created.json()["id"]
    early = api.post(
        f"/api/job-referrals/{referral_id}/result/",
        {"result": "hired", "result_on": (TODAY - DAY).isoformat()},
        format="json",
    )
    assert early.status_code == 400 and "早于推荐日期" in early.json()["result_on"][0]
    done = api.post(f"/api/job-referrals/{referral_id}/result/", {"result": "hired", "result_on": TODAY.isoformat()})
    assert done.status_code == 200 and done.json()["result"] == "hired"
    profile.refresh_from_db()
    assert profile.status == "employed"
    other = _api(people["other_station"]).post(
        "/api/job-referrals/", {**body, "person": veterans["mine"].pk}, format="json"
    )
    assert other.status_code == 400 and "王德顺" not in other.content.decode()
    assert JobReferral.objects.count() == 1


def test_the_grid_worker_reads_but_does_not_refer(people, veterans, employer):
    make_profile(veterans["mine"])
    body = {
        "person": veterans["mine"].pk,
        "employer": employer.pk,
        "position": "保安",
        "referred_on": TODAY.isoformat(),
    }
    assert _api(people["worker"]).post("/api/job-referrals/", body, format="json").status_code == 403
    assert _api(people["worker"]).get("/api/employment/").json()["count"] == 1
