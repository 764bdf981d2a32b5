"""The cast of the pairing tests: a grid worker of a11, one of b11, the stations of streets a and
b, the bureau leader, an 80+ person and a young one in a11, one in b11, and a pair maker."""

import datetime

import pytest

from grids.models import Role
from grids.tests.factories import make_staff
from pairing.services import pair_start
from veterans.tests.factories import make_veteran

START = datetime.date(2026, 3, 1)


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
def persons(tree):
    return {
        "old": make_veteran(tree["grid_a11"], name="王德顺", birth_date=datetime.date(1938, 5, 1)),
        "young": make_veteran(tree["grid_a11"], name="赵小兵", birth_date=datetime.date(1995, 6, 1)),
        "theirs": make_veteran(tree["grid_b11"], name="李长青", birth_date=datetime.date(1940, 1, 1)),
    }


@pytest.fixture
def make_pair(people, persons):
    """A maker: a pair of `veteran` (default: old) with a cadre who has no account."""

    def make(veteran=None, *, by=None, partner_kind="cadre", partner_name="刘干部", started_on=START, **extra):
        return pair_start(
            veteran=veteran or persons["old"],
            partner_kind=partner_kind,
            partner_name=partner_name,
            started_on=started_on,
            acting_user=by or people["station"],
            **extra,
        )

    return make
