"""A person with something in every part of the archive card, and the people around them."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from assistance.models import ReliefFund
from assistance.services import case_open, case_step, fund_receive
from assistance.tests.factories import CaseTypeFactory
from grids.models import Role
from grids.roles import ROLE_GROUP_NAMES
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.services import family_member_save, honour_save, veteran_update
from veterans.tests.factories import make_veteran
from visits.services import visit_record

ID_NUMBER = "120101195003041230"


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "station": make_staff(tree["community_a1"], role=Role.STATION_STAFF),
        "cashier": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def fund(tree, people):
    fund = ReliefFund.objects.create(name="和平区帮扶基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="100000", acting_user=people["cashier"])
    return fund


@pytest.fixture
def illness():
    return CaseTypeFactory(name="测试用大病救助")


def pay_case(veteran, *, people, fund, case_type, amount="1200", opened_by=None):
    """A hardship case reported, reviewed, approved and paid, each step by its own person."""
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description="住院治疗",
        amount_requested=amount,
        reported_on=timezone.localdate() - datetime.timedelta(days=5),
        acting_user=opened_by or people["worker"],
    )
    for action, actor in (("submit", case.opened_by), ("review", people["station"]), ("approve", people["leader"])):
        case = case_step(case=case, action=action, acting_user=actor)
    return case_step(case=case, action="pay", acting_user=people["cashier"], fund=fund)


@pytest.fixture
def person(tree, people, fund, illness):
    """张建国 of grid a1-1: care, family, an honour, a pairing, two visits and a paid case."""
    veteran = make_veteran(
        tree["grid_a11"],
        name="张建国",
        id_number=ID_NUMBER,
        phone="13812345678",
        categories=[("disabled", 6), ("korean_war", None)],
        residence_address="和平路12号",
    )
    family_member_save(veteran=veteran, name="李秀兰", relation="spouse", phone="13900001111", acting_user=SYSTEM)
    honour_save(veteran=veteran, kind="second_class", title="二等功", awarded_year=1979, acting_user=SYSTEM)
    veteran = veteran_update(veteran=veteran, paired_staff=people["worker"].staff_profile, acting_user=SYSTEM)
    for days, findings in ((40, "身体尚可"), (3, "腿疾加重，需要住院")):
        visit_record(
            veteran=veteran,
            acting_user=people["worker"],
            method="home",
            findings=findings,
            visited_at=timezone.now() - datetime.timedelta(days=days),
        )
    pay_case(veteran, people=people, fund=fund, case_type=illness)
    veteran.refresh_from_db()
    return veteran


@pytest.fixture
def no_reveal():
    """Grid workers without veterans.reveal_identity (a deployment may withhold it)."""
    group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.GRID_WORKER])
    group.permissions.remove(Permission.objects.get(codename="reveal_identity", content_type__app_label="veterans"))
    return group


@pytest.fixture
def media(settings, tmp_path):
    """Batch PDFs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fill(grid, count: int, prefix: str = "批量") -> list:
    """`count` living people in `grid`, filed through the real service."""
    return [make_veteran(grid, name=f"{prefix}{n:03d}") for n in range(count)]
