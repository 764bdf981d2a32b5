"""Fixtures of the wish tests: a cast across two streets and Korean War veterans."""

import pytest

from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "worker_b": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station_b": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def korean_war_veteran(tree):
    def make(grid_key="grid_a11", **fields):
        return make_veteran(tree[grid_key], categories=[("korean_war", None)], **fields)

    return make
