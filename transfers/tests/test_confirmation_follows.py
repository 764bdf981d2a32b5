"""A subsidy recipient's annual confirmation moves with her file: the receiving station sees it."""

from django.utils import timezone

from confirmations.models import Confirmation
from confirmations.selectors import confirmations_for
from confirmations.services import confirmation_round_open
from grids.scoping import SYSTEM
from transfers.services import transfer_accept
from transfers.tests.factories import make_transfer
from veterans.tests.factories import make_veteran


def test_the_years_confirmation_follows_the_person(areas):
    person = make_veteran(areas["home"], name="王补助", receives_regular_subsidy=True)
    confirmation_round_open(district=areas["district"], year=timezone.localdate().year, acting_user=SYSTEM)
    transfer = make_transfer(areas, veteran=person)
    transfer_accept(transfer=transfer, acting_user=areas["receiver"])
    row = Confirmation.objects.get(veteran=person)
    assert row.grid_id == areas["away"].pk and row.street_id == areas["away"].street_id
    assert list(confirmations_for(user=areas["receiver"]).values_list("veteran__name", flat=True)) == ["王补助"]
    assert not confirmations_for(user=areas["sender"]).exists()
