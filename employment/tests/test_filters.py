"""Each filter of the registry's FilterSets, and the cost of its lists."""

import datetime

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from employment.filters import FairFilter, ProfileFilter, ReferralFilter
from employment.models import EmploymentProfile, JobFair, JobReferral
from employment.services import employment_status_change, job_referral_create, job_referral_result
from employment.tests.factories import make_fair, make_profile
from grids.scoping import SYSTEM
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _names(filterset) -> set[str]:
    assert filterset.is_valid(), filterset.errors
    return {row.person.name for row in filterset.qs}


def test_profile_filters(tree, veterans, employer):
    mine = make_profile(veterans["mine"], since=TODAY - 90 * DAY, wants_job=True)
    make_profile(veterans["theirs"], status="self_employed", since=TODAY - 90 * DAY, wants_business=True)
    employment_status_change(profile=mine, status="employed", changed_on=TODAY, acting_user=SYSTEM)
    dead = make_veteran(tree["grid_a12"], name="郑已故", birth_date=datetime.date(1990, 1, 1))
    make_profile(dead)
    veteran_update(veteran=dead, life_status="deceased", life_status_date=TODAY, acting_user=SYSTEM)
    profiles = EmploymentProfile.objects.all()
    assert _names(ProfileFilter({"status": ["self_employed"]}, queryset=profiles)) == {"李长青"}
    assert _names(ProfileFilter({"placed_in": TODAY.year}, queryset=profiles)) == {"王德顺"}
    assert _names(ProfileFilter({"placed_in": TODAY.year - 1}, queryset=profiles)) == set()
    assert _names(ProfileFilter({"live": "false"}, queryset=profiles)) == {"郑已故"}
    assert _names(ProfileFilter({"live": "true"}, queryset=profiles)) == {"王德顺", "李长青"}
    assert _names(ProfileFilter({"wants_business": "true"}, queryset=profiles)) == {"李长青"}
    assert _names(ProfileFilter({"name": "德顺"}, queryset=profiles)) == {"王德顺"}
    assert _names(ProfileFilter({"street": tree["street_b"].pk}, queryset=profiles)) == {"李长青"}


def test_referral_and_fair_filters(tree, veterans, employer):
    make_profile(veterans["mine"], since=TODAY - 90 * DAY)
    early = job_referral_create(
        person=veterans["mine"], employer=employer, position="保安", referred_on=TODAY - 30 * DAY, acting_user=SYSTEM
    )
    job_referral_result(referral=early, result="rejected", result_on=TODAY - 20 * DAY, acting_user=SYSTEM)
    job_referral_create(
        person=veterans["mine"], employer=employer, position="司机", referred_on=TODAY, acting_user=SYSTEM
    )
    referrals = JobReferral.objects.all()
    pending = ReferralFilter({"result": ["pending"]}, queryset=referrals)
    assert pending.is_valid() and [r.position for r in pending.qs] == ["司机"]
    since = ReferralFilter({"referred_from": (TODAY - 5 * DAY).isoformat()}, queryset=referrals)
    assert [r.position for r in since.qs] == ["司机"]
    make_fair(tree["district"], held_on=TODAY - 100 * DAY, name="春季")
    make_fair(tree["district"], held_on=TODAY - 10 * DAY, name="秋季")
    recent = FairFilter({"held_from": (TODAY - 30 * DAY).isoformat()}, queryset=JobFair.objects.all())
    assert [fair.name for fair in recent.qs] == ["秋季"]


def test_the_lists_cost_a_fixed_number_of_queries(client, tree, people, django_assert_max_num_queries, employer):
    for number in range(6):
        person = make_veteran(tree["grid_a11"], name=f"求职者{number}", birth_date=datetime.date(1990, 1, 1))
        make_profile(person)
        job_referral_create(person=person, employer=employer, position="保安", referred_on=TODAY, acting_user=SYSTEM)
    client.force_login(people["station"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("admin:employment_employmentprofile_changelist")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("admin:employment_jobreferral_changelist")).status_code == 200
    api = APIClient()
    api.force_authenticate(people["station"])
    with django_assert_max_num_queries(8):
        assert api.get("/api/employment/").json()["count"] == 6
    with django_assert_max_num_queries(8):
        assert api.get("/api/job-referrals/").json()["count"] == 6


def test_impossible_filter_values_are_refused_not_crashed(people):
    api = APIClient()
    api.force_authenticate(people["station"])
    for query in ({"placed_in": "4.3e16"}, {"placed_in": "2026.5"}, {"grid": "1e30"}):
        assert api.get("/api/employment/", query).status_code == 400, query
    assert api.get("/api/job-referrals/", {"person": str(10**40)}).status_code == 400
