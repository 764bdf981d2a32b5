from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from grids.models import Community, District, Grid, Role, StaffProfile, Street
from grids.scoping import scope_queryset


def test_default_demo_is_heping_shaped(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (District.objects.count(), Street.objects.count()) == (1, 6)
    assert (Community.objects.count(), Grid.objects.count()) == (64, 629)
    assert District.objects.get().name == "和平区"
    assert Community.objects.filter(name="朝阳里社区", street__name="劝业场街道").exists()
    assert StaffProfile.objects.filter(role=Role.GRID_LEADER).count() == 629
    assert StaffProfile.objects.filter(role=Role.GRID_WORKER).count() == 629 * 2
    assert StaffProfile.objects.filter(role=Role.BUREAU_LEADER).count() == 2  # the city and the district
    # every grid has exactly one leader
    assert Grid.objects.filter(staff_profiles__role=Role.GRID_LEADER).distinct().count() == 629
    output = out.getvalue()
    for username in (
        "sysadmin",
        "city_leader",
        "leader",
        "center_staff",
        "street_staff",
        "community_staff",
        "grid_leader",
        "grid_worker",
    ):
        assert username in output


def test_demo_logins_are_scoped_as_printed(db, client):
    call_command("seed_demo", stdout=StringIO())
    city_leader = StaffProfile.objects.get(user__username="city_leader").user
    assert scope_queryset(city_leader, Grid.objects.all()).count() == Grid.objects.count()
    worker = StaffProfile.objects.get(user__username="grid_worker").user
    assert scope_queryset(worker, Grid.objects.all()).count() == 1
    community_staff = StaffProfile.objects.get(user__username="community_staff").user
    community = Community.objects.get(name="朝阳里社区")
    assert scope_queryset(community_staff, Grid.objects.all()).count() == community.grids.count()
    from grids.demo import DEMO_PASSWORD

    response = client.post("/admin/login/", {"username": "street_staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_same_seed_gives_the_same_area(db):
    call_command("seed_demo", "--seed", "7", "--grids", "100", "--communities", "20", stdout=StringIO())
    first = list(Grid.objects.order_by("code").values_list("code", "name"))
    StaffProfile.grids.through.objects.all().delete()
    StaffProfile.objects.all().delete()
    Grid.objects.all().delete()
    Community.objects.all().delete()
    Street.objects.all().delete()
    District.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("seed_demo", "--seed", "7", "--grids", "100", "--communities", "20", stdout=StringIO())
    assert list(Grid.objects.order_by("code").values_list("code", "name")) == first


def test_seeding_twice_is_refused_or_skipped(db):
    call_command("seed_demo", "--streets", "2", "--grids", "10", "--communities", "5", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    assert Grid.objects.count() == 10


def test_a_city_of_several_districts(db):
    call_command(
        "seed_demo",
        "--districts",
        "3",
        "--streets",
        "4",
        "--communities",
        "12",
        "--grids",
        "50",
        "--workers-per-grid",
        "1",
        stdout=StringIO(),
    )
    assert District.objects.count() == 3
    assert Grid.objects.count() == 150
    assert StaffProfile.objects.filter(role=Role.BUREAU_LEADER).count() == 4  # one per district and the city
