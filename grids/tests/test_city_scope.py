"""全市 (city-level) scope: a municipal bureau leader sees every district; nobody narrower can
hand out or reach it."""

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from grids.models import AreaLevel, Role, StaffProfile, the_city
from grids.scoping import in_scope
from grids.services import staff_account_create
from grids.tests.factories import CommunityFactory, DistrictFactory, GridFactory, StreetFactory, make_staff
from veterans.selectors import veterans_for
from veterans.tests.factories import make_veteran


@pytest.fixture
def second_district(tree):
    district = DistrictFactory(name="河西区")
    grid = GridFactory(community=CommunityFactory(street=StreetFactory(district=district, name="友谊路街道")))
    return {"district": district, "grid": grid}


def test_a_city_leader_sees_every_district_and_a_district_leader_only_their_own(tree, second_district):
    here, there = make_veteran(tree["grid_a11"]), make_veteran(second_district["grid"])
    city_leader = make_staff(the_city(), role=Role.BUREAU_LEADER)
    district_leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    assert set(veterans_for(user=city_leader).values_list("pk", flat=True)) == {here.pk, there.pk}
    assert set(veterans_for(user=district_leader).values_list("pk", flat=True)) == {here.pk}
    assert in_scope(city_leader, the_city()) and in_scope(city_leader, second_district["district"])
    assert not in_scope(district_leader, the_city())


def test_only_a_city_scope_can_hand_out_a_city_scope(tree):
    district_admin = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        staff_account_create(
            username="shiju",
            password="Junren#2026x",
            full_name="市局",
            role=Role.BUREAU_LEADER,
            scope_level=AreaLevel.CITY,
            acting_user=district_admin,
        )
    city_admin = make_staff(the_city(), role=Role.SYSTEM_ADMIN)
    profile = staff_account_create(
        username="shiju",
        password="Junren#2026x",
        full_name="市局",
        role=Role.BUREAU_LEADER,
        scope_level=AreaLevel.CITY,
        acting_user=city_admin,
    )
    assert profile.scope_level == AreaLevel.CITY and profile.district_id is None
    assert str(profile.scope_area) == "全市"


def test_municipal_center_staff_are_city_wide_station_staff_handed_out_only_by_a_city_user(tree):
    district_admin = make_staff(tree["district"], role=Role.SYSTEM_ADMIN)
    center = dict(
        username="shizhongxin",
        password="Junren#2026x",
        full_name="市服务中心",
        role=Role.STATION_STAFF,
        scope_level=AreaLevel.CITY,
    )
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        staff_account_create(**center, acting_user=district_admin)
    assert not StaffProfile.objects.filter(user__username="shizhongxin").exists()
    profile = staff_account_create(**center, acting_user=make_staff(the_city(), role=Role.SYSTEM_ADMIN))
    assert profile.scope_level == AreaLevel.CITY and profile.district_id is None
    assert in_scope(profile.user, the_city())


def test_grid_teams_cannot_be_city_wide(tree):
    with pytest.raises(ApplicationError, match="管辖层级只能是") as error:
        make_staff(the_city(), role=Role.GRID_WORKER)
    assert error.value.field == "scope_level"


def test_the_city_dashboard_lists_districts_and_drills_into_one(client, tree, second_district):
    make_veteran(tree["grid_a11"])
    make_veteran(second_district["grid"])
    client.force_login(make_staff(the_city(), role=Role.BUREAU_LEADER))
    page = client.get(reverse("dashboard:board"))
    assert page.status_code == 200
    board = page.context["board"]
    assert board.level == AreaLevel.CITY and board.total.veterans == 2
    assert {child.name for child, _f in board.rows} == {tree["district"].name, "河西区"}
    district = client.get(reverse("dashboard:board"), {"level": "district", "id": second_district["district"].pk})
    assert [step.name for step in district.context["trail"]] == ["全市", "河西区"]
    assert district.context["board"].total.veterans == 1


def test_a_district_leader_cannot_open_the_city_or_another_district(client, tree, second_district):
    client.force_login(make_staff(tree["district"], role=Role.BUREAU_LEADER))
    assert client.get(reverse("dashboard:board"), {"level": "city", "id": 0}).status_code == 404
    other = {"level": "district", "id": second_district["district"].pk}
    assert client.get(reverse("dashboard:board"), other).status_code == 404
    assert client.get(reverse("api-statistics"), other).status_code == 404
    trail = client.get(reverse("dashboard:board")).context["trail"]
    assert [step.level for step in trail] == ["district"]
