"""The references to a person's file are found by foreign key, so a later app's table is too."""

from appeals.models import Appeal
from assistance.models import HardshipCase
from confirmations.models import Confirmation, SubsidySuspension
from veterans.models import PriorityCare, SourceSoldier
from veterans.relations import area_keyed_references, person_references
from visits.models import MustVisitEvent, Visit
from wishes.models import MicroWish


def test_every_reference_is_found_with_its_field():
    found = set(person_references())
    assert {(PriorityCare, "veteran"), (SourceSoldier, "person"), (SourceSoldier, "soldier_file")} <= found
    assert {(Visit, "veteran"), (HardshipCase, "veteran"), (Appeal, "veteran")} <= found
    # Hidden ones (related_name="+") as well: the year's confirmation and a suspended subsidy.
    assert {(Confirmation, "veteran"), (SubsidySuspension, "veteran")} <= found


def test_area_keyed_rows_are_the_ones_that_follow_a_move():
    following = {model for model, _field in area_keyed_references()}
    assert {Visit, MustVisitEvent, HardshipCase, Appeal, MicroWish, Confirmation, SubsidySuspension} <= following
    assert PriorityCare not in following and SourceSoldier not in following
