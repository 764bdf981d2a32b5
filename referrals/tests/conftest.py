"""The cast of the referral tests: a grid worker of a11 and of b11, the station of street a, the
district's service center, the bureau leader, a veteran on each side, and the district's elder
canteen and hospital."""

import pytest

from grids.models import Role
from grids.tests.factories import make_staff
from referrals.models import ProviderKind
from referrals.tests.factories import make_provider
from veterans.tests.factories import make_veteran


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "center": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺"),
        "theirs": make_veteran(tree["grid_b11"], name="李长青"),
    }


@pytest.fixture
def providers(tree):
    return {
        "canteen": make_provider(tree["district"]),
        "hospital": make_provider(tree["district"], name="荣军医院", kind=ProviderKind.HOSPITAL),
    }
