"""Fixtures shared by the assistance tests: the Heping cast, a case type and a funded fund."""

import pytest

from assistance.models import ReliefFund
from assistance.services import fund_receive
from assistance.tests.factories import CaseTypeFactory
from grids.models import Role
from grids.tests.factories import make_staff


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "station": make_staff(tree["community_a1"], role=Role.STATION_STAFF),
        "cashier": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def illness():
    return CaseTypeFactory(name="测试用大病救助")


@pytest.fixture
def fund(tree, people):
    fund = ReliefFund.objects.create(name="和平区帮扶基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="1650000", acting_user=people["cashier"])
    return fund
