"""The cast of the service project tests: a grid worker of a11 and one of b11, two station staff
of street a (one proposes, the other reviews), the station of street b, the bureau leader, people
on each side, and a catalogue item."""

import datetime

import pytest
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import make_staff
from projects.models import ServiceCategory, ServiceItem, ServiceLevel
from projects.services import need_record, project_deliver, project_propose, project_review
from veterans.tests.factories import make_veteran

# Twenty days ago: every step of the tests (up to DAY + 12) lies in the past.
DAY = timezone.localdate() - datetime.timedelta(days=20)


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "station2": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺"),
        "neighbour": make_veteran(tree["grid_a12"], name="陈永福"),
        "theirs": make_veteran(tree["grid_b11"], name="李长青"),
    }


@pytest.fixture
def item(db):
    return ServiceItem.objects.create(
        name="上门健康体检", level=ServiceLevel.TOWN, category=ServiceCategory.HEALTH, description="每年一次"
    )


@pytest.fixture
def need(people, veterans, item):
    return need_record(
        person=veterans["mine"],
        item=item,
        description="行动不便，需上门体检",
        source="station",
        recorded_on=DAY,
        acting_user=people["worker"],
    )


@pytest.fixture
def proposed(people, veterans, need, item):
    return project_propose(
        title="上门体检",
        item=item,
        needs=[need],
        people=[veterans["neighbour"]],
        proposed_on=DAY + datetime.timedelta(days=1),
        acting_user=people["station"],
    )


@pytest.fixture
def approved(people, proposed):
    return project_review(
        project=proposed, approve=True, reviewed_on=DAY + datetime.timedelta(days=2), acting_user=people["leader"]
    )


@pytest.fixture
def delivered(people, approved):
    return project_deliver(
        project=approved,
        delivered_on=DAY + datetime.timedelta(days=10),
        delivered_by="镇卫生院",
        cost="360.00",
        acting_user=people["station2"],
    )
