"""The cast: a grid worker of a11 and one of b11, the station of street a (two of its staff),
the station of street b, the district's bureau staff; recipients of a regular subsidy."""

import datetime

import pytest

from confirmations.services import confirmation_round_open
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran

YEAR = 2026


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station2": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "district_station": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺", receives_regular_subsidy=True),
        "second": make_veteran(tree["grid_a11"], name="赵援朝", receives_regular_subsidy=True),
        "theirs": make_veteran(tree["grid_b11"], name="李长青", receives_regular_subsidy=True),
        "no_subsidy": make_veteran(tree["grid_a11"], name="孙立新"),
    }


@pytest.fixture
def round_(tree, veterans):
    return confirmation_round_open(
        district=tree["district"], year=YEAR, deadline=datetime.date(YEAR, 6, 30), acting_user=SYSTEM
    )
