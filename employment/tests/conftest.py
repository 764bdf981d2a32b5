"""The cast of the employment tests: a grid worker of a11, the station of street a and of street
b, the bureau leader; a working-age veteran on each side; an employer of the district."""

import datetime

import pytest

from employment.tests.factories import make_employer
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran

YOUNG = datetime.date(1990, 5, 6)


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
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺", birth_date=YOUNG),
        "theirs": make_veteran(tree["grid_b11"], name="李长青", birth_date=YOUNG),
        "old": make_veteran(tree["grid_a11"], name="赵老兵", birth_date=datetime.date(1950, 3, 4)),
    }


@pytest.fixture
def employer(tree):
    return make_employer(tree["district"])
