"""The cast of the honours tests: the district's bureau leader and center, the station of street a,
the grid worker of a11 and one of b11; a veteran and a serving soldier's family in a11, a veteran
in b11; and makers for a selection round and a merit notice."""

import datetime

import pytest
from django.utils import timezone

from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from honours.services import merit_notice_receive, selection_open
from veterans.tests.factories import make_survivor, make_veteran

SOLDIER = {"name": "王小兵", "unit": "某部", "relation": "child"}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def people(tree):
    return {
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
        "center": make_staff(tree["district"], role=Role.STATION_STAFF),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
    }


@pytest.fixture
def persons(tree):
    return {
        "veteran": make_veteran(tree["grid_a11"], name="王德顺"),
        "family": make_survivor(tree["grid_a11"], name="刘桂英", person_kind="serving_family", soldier=SOLDIER),
        "theirs": make_veteran(tree["grid_b11"], name="李长青"),
    }


@pytest.fixture
def open_selection(tree, today):
    """A maker: a round of the district, taking nominations until `deadline` (default in 10 days)."""

    def make(kind="most_beautiful", deadline=None, name=None, by=SYSTEM):
        return selection_open(
            district=tree["district"],
            name=name or f"{today.year}年度最美退役军人-{kind}",
            kind=kind,
            level="district",
            year=today.year,
            nomination_deadline=deadline or today + datetime.timedelta(days=10),
            acting_user=by,
        )

    return make


@pytest.fixture
def receive_notice(persons, people, today):
    """A maker: a notice for `family` (default: the a11 family) received `days_ago` days ago."""

    def make(family=None, days_ago=3, by=None, soldier_name="王小兵"):
        return merit_notice_receive(
            family=family or persons["family"],
            soldier_name=soldier_name,
            unit="武警某部",
            merit_kind="third_class",
            received_on=today - datetime.timedelta(days=days_ago),
            acting_user=by or people["station"],
        )

    return make
