"""The cast of the party tests: a grid worker of a11 and one of b11, the station of each street,
the bureau leader; a pocket member in a11, a mobile one in b11, an in-place one and a non-member
in a11; a branch of community a1 and one of community b1."""

import datetime

import pytest

from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from party.models import OrganisationKind, PartyOrganisation
from party.services import organisation_save
from veterans.tests.factories import make_veteran


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def members(tree):
    party = {"is_party_member": True}
    return {
        "pocket": make_veteran(tree["grid_a11"], name="王德顺", party_relation="pocket", **party),
        "mobile": make_veteran(tree["grid_b11"], name="李长青", party_relation="mobile", **party),
        "in_place": make_veteran(tree["grid_a12"], name="赵振华", party_relation="in_place", **party),
        "not_member": make_veteran(tree["grid_a11"], name="孙海"),
    }


def make_organisation(area, name, kind=OrganisationKind.BRANCH, **fields):
    level = area.level
    organisation = PartyOrganisation(name=name, kind=kind, **{level: area}, **fields)
    return organisation_save(organisation=organisation, acting_user=SYSTEM)


@pytest.fixture
def branches(tree):
    return {
        "a1": make_organisation(tree["community_a1"], "a1社区退役军人党支部"),
        "b1": make_organisation(tree["community_b1"], "b1社区退役军人党支部"),
    }


DAY = datetime.date(2026, 11, 2)
