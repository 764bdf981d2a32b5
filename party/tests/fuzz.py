"""The party rows of the API fuzz's scene (tests/test_api_fuzz.py): a branch on each side, pocket
members with open follow-ups in the worker's grid and in street b, one already under a branch."""

from django.utils import timezone

from grids.scoping import SYSTEM
from party.models import PartyOrganisation
from party.services import followup_open, membership_add, organisation_save
from veterans.tests.factories import make_veteran


def add_party_rows(rows: dict[str, list[int]], *, tree: dict, people: dict) -> None:
    today = timezone.localdate()
    branches = [
        organisation_save(organisation=PartyOrganisation(name=name, kind="branch", grid=tree[grid]), acting_user=SYSTEM)
        for name, grid in (("a1-1网格党小组", "grid_a11"), ("b1-1网格党小组", "grid_b11"))
    ]
    members = [
        make_veteran(tree[grid], name=name, is_party_member=True, party_relation="pocket")
        for name, grid in (("周建军", "grid_a11"), ("吴卫国", "grid_a11"), ("郑国强", "grid_b11"))
    ]
    follow_ups = [followup_open(person=person, acting_user=SYSTEM) for person in members]
    membership = membership_add(person=members[1], organisation=branches[0], joined_on=today, acting_user=SYSTEM)
    rows["party-organisation"] = rows["organisation"] = rows["parent"] = [b.pk for b in branches]
    rows["party-follow-up"] = [f.pk for f in follow_ups]
    rows["party-membership"] = [membership.pk]
    rows["person"] = [m.pk for m in members]
    rows["assigned_to"] = [people["worker"].pk, people["station"].pk, people["station_b"].pk]
