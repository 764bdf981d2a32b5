import time
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from referrals.models import Provider, Referral, ReferralStatus, Volunteer, VolunteerTeam
from referrals.selectors import overdue_q


def test_demo_referrals_cover_every_state_and_the_alliances_three_teams(db):
    args = ["seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "120"]
    call_command(*args, stdout=StringIO())
    started = time.monotonic()
    call_command("seed_demo", "--referrals", "27", stdout=StringIO())
    assert time.monotonic() - started < 3
    assert sorted(VolunteerTeam.objects.values_list("name", flat=True)) == ["军徽团", "暖心团", "红星团"]
    assert Volunteer.objects.count() == 8 and Provider.objects.filter(kind="elder_canteen").exists()
    assert Referral.objects.count() == 27
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(overdue_q(timezone.localdate())).exists()
    assert all(referral.notes.exists() for referral in Referral.objects.all())
