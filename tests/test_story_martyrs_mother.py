"""Issue 17 end to end, through the services and the API as each side uses them: a martyr's
mother is filed, visited before 清明, confirmed for her regular subsidy this year, moves to her
daughter's district and is accepted there with her history; a second file of her, filed by
mistake, is found by the nightly search, merged and the merge undone; and the audit lists
everyone who opened her file."""

import datetime

import pytest
from django.utils import timezone

from confirmations.models import Confirmation
from confirmations.services import confirmation_confirm, confirmation_round_open
from grids.models import Role
from grids.scoping import SYSTEM, scope_queryset
from grids.tests.factories import DistrictFactory, GridFactory, StreetFactory, make_staff
from merging.models import DuplicatePair
from merging.services import pair_merge, pair_undo
from merging.tasks import find_duplicates
from transfers.services import transfer_accept, transfer_start
from veterans.models import PersonKind, Veteran
from veterans.selectors import veteran_readers
from veterans.tests.factories import MARTYR, make_survivor
from visits.models import Visit
from visits.services import visit_record

pytestmark = pytest.mark.django_db


def _before_qingming() -> datetime.datetime:
    """A morning before 清明 (4 or 5 April) of this year, or of last year early in the year."""
    today = timezone.localdate()
    year = today.year if today > datetime.date(today.year, 4, 3) else today.year - 1
    return timezone.make_aware(datetime.datetime(year, 4, 2, 10, 0))


@pytest.fixture
def places(tree):
    daughters_district = DistrictFactory(name="河西区")
    daughters_grid = GridFactory(community__street=StreetFactory(district=daughters_district))
    return {
        "home": tree["grid_a11"],
        "daughters_grid": daughters_grid,
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "district_station": make_staff(tree["district"], role=Role.STATION_STAFF),
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "receiver": make_staff(daughters_district, role=Role.STATION_STAFF),
    }


def test_a_martyrs_mother_from_filing_to_her_daughters_district(client, places):
    station, receiver = places["station"], places["receiver"]
    mother = make_survivor(
        places["home"], name="刘桂英", acting_user=station, soldier=MARTYR, receives_regular_subsidy=True
    )
    assert mother.person_kind == PersonKind.MARTYR_SURVIVOR and mother.source_soldier.name == MARTYR["name"]

    visit, _created = visit_record(
        veteran=mother, visited_at=_before_qingming(), method="home", acting_user=places["worker"]
    )
    if visit.visited_at.year == timezone.localdate().year:
        confirmation_round_open(
            district=places["home"].district, year=visit.visited_at.year, acting_user=places["district_station"]
        )
        confirmation_confirm(veteran=mother, method="visit", visit=visit, acting_user=places["worker"])
        assert Confirmation.objects.get(veteran=mother).status == "confirmed"

    client.force_login(station)  # the sending station opens her file
    assert client.get(f"/api/veterans/{mother.pk}/").status_code == 200

    transfer = transfer_start(
        veteran=mother, to_grid=places["daughters_grid"], reason="随女儿生活", acting_user=station
    )
    client.force_login(receiver)  # before acceptance the receiving side cannot read the file
    assert client.get(f"/api/veterans/{mother.pk}/").status_code == 404
    transfer_accept(transfer=transfer, acting_user=receiver)

    assert client.get(f"/api/veterans/{mother.pk}/").status_code == 200  # now hers to serve
    assert scope_queryset(receiver, Visit.objects.filter(veteran=mother)).get() == visit  # with her history
    assert not scope_queryset(station, Veteran.objects.filter(pk=mother.pk)).exists()  # the sender lets go
    mother.refresh_from_db()
    assert mother.district_id == places["daughters_grid"].district_id
    assert mother.source_soldier.certificate_number == MARTYR["certificate_number"]

    readers = veteran_readers(user=receiver, veteran_id=mother.pk)
    assert {event.actor_id for event in readers} == {station.pk, receiver.pk}


def test_a_second_file_of_her_is_found_at_night_merged_and_the_merge_undone(places):
    station = places["station"]
    mother = make_survivor(places["home"], name="刘桂英", acting_user=station, birth_date=datetime.date(1940, 5, 6))
    visit_record(veteran=mother, method="home", acting_user=places["worker"])
    twin = make_survivor(places["home"], name="刘桂英", acting_user=station, birth_date=datetime.date(1940, 5, 6))
    visit_record(veteran=twin, method="phone", acting_user=places["worker"])

    find_duplicates()  # the nightly job, as SYSTEM
    pair = DuplicatePair.objects.get(first=mother, second=twin)
    assert pair.status == "pending"

    pair_merge(pair=pair, survivor_id=mother.pk, reason="同一人重复建档", acting_user=station)
    assert Visit.objects.filter(veteran=mother).count() == 2
    twin.refresh_from_db()
    assert twin.removed_at is not None

    pair_undo(pair=DuplicatePair.objects.get(pk=pair.pk), reason="核实后为两人", acting_user=station)
    assert Visit.objects.filter(veteran=mother).count() == 1 and Visit.objects.filter(veteran=twin).count() == 1
    twin.refresh_from_db()
    assert twin.removed_at is None
    assert DuplicatePair.objects.get(pk=pair.pk).status == "undone"
    assert scope_queryset(SYSTEM, Veteran.objects.filter(name="刘桂英", removed_at__isnull=True)).count() == 2
