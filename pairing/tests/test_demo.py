from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from pairing.models import Pair, PairContact, PairGift
from pairing.selectors import any_key_group_q, living_q
from veterans.models import Veteran


def test_demo_pairs_most_key_group_people_with_contacts_and_enterprise_gifts(db):
    args = ["--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "300", "--pairing"]
    call_command("seed_demo", *args, stdout=StringIO())
    key_people = Veteran.objects.filter(living_q(), any_key_group_q(timezone.localdate()))
    paired = key_people.filter(pairs__active=True).distinct().count()
    assert paired >= 0.7 * key_people.count() > 0
    assert PairContact.objects.exists()
    assert PairGift.objects.filter(pair__partner_kind="enterprise").exists()
    assert Pair.objects.filter(partner_kind="enterprise").exists()
