import time
from io import StringIO

from django.core.management import call_command

from party.models import FollowUp, Membership, OrganisationLife, PartyOrganisation
from party.selectors import outside_q
from veterans.models import Veteran


def test_demo_party_covers_every_follow_up_state(db):
    call_command(
        "seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "400", stdout=StringIO()
    )
    started = time.monotonic()
    call_command("seed_demo", "--party", stdout=StringIO())
    assert time.monotonic() - started < 3
    assert PartyOrganisation.objects.filter(kind="branch").count() == 4
    assert Membership.objects.exists() and OrganisationLife.objects.exists()
    assert {"open", "closed"} <= set(FollowUp.objects.values_list("status", flat=True))
    assert FollowUp.objects.filter(assigned_to__isnull=True).exists()
    assert FollowUp.objects.filter(steps__isnull=False).exists()
    assert Veteran.objects.filter(outside_q()).count() == FollowUp.objects.filter(status="open").count()
