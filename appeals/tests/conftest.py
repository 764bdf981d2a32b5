"""The cast of the appeal tests: a grid worker of a11, one of b11, the station of street a, the
bureau leader, a veteran on each side, and two categories (a question, an agency service)."""

import pytest

from appeals.models import AppealCategory, AppealKind
from appeals.services import appeal_open
from grids.models import Role
from grids.tests.factories import make_staff
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
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺"),
        "theirs": make_veteran(tree["grid_b11"], name="李长青"),
    }


@pytest.fixture
def question():
    return AppealCategory.objects.create(name="测试政策咨询", kind=AppealKind.QUESTION, deadline_days=5)


@pytest.fixture
def agency():
    return AppealCategory.objects.create(
        name="测试伤残评定代办", kind=AppealKind.AGENCY, deadline_days=60, checklist="身份证复印件\n伤残评定申请表\n"
    )


@pytest.fixture
def open_appeal(people, veterans, question):
    """Returns a maker: an appeal of `veteran` (default: mine) received on `received_on`."""
    import datetime

    def make(veteran=None, received_on=datetime.date(2026, 11, 2), category=None, by=None, **extra):
        return appeal_open(
            veteran=veteran or veterans["mine"],
            category=category or question,
            channel="phone",
            subject="优待证办理",
            content="咨询退役军人优待证办理流程",
            received_on=received_on,
            acting_user=by or people["worker"],
            **extra,
        )

    return make
