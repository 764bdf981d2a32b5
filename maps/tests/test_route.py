import datetime

from django.urls import reverse

from grids.scoping import SYSTEM
from maps.homes import home_set
from maps.selectors import todays_round
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

TODAY = datetime.date(2026, 12, 6)


def _person(grid, name, longitude, latitude, due_on):
    veteran = make_veteran(grid, name=name)
    Veteran.objects.filter(pk=veteran.pk).update(visit_due_on=due_on)
    home_set(veteran=veteran, longitude=longitude, latitude=latitude, acting_user=SYSTEM)
    return veteran


def test_the_round_starts_at_the_most_overdue_and_goes_to_the_nearest_next(tree, people):
    grid = tree["grid_a11"]
    late = TODAY - datetime.timedelta(days=9)
    _person(grid, "甲一", "117.000", "39.000", late)
    _person(grid, "乙二", "117.030", "39.000", TODAY)
    _person(grid, "丙三", "117.010", "39.000", TODAY - datetime.timedelta(days=1))
    _person(grid, "丁四", "117.005", "39.000", TODAY + datetime.timedelta(days=3))  # not due today
    stops = todays_round(user=people["worker"], grid=grid, today=TODAY)
    assert [s["name"] for s in stops] == ["甲*", "丙*", "乙*"]
    # From the phone's position at the far east end, the nearest comes first.
    stops = todays_round(user=people["worker"], grid=grid, today=TODAY, start=(117.04, 39.0))
    assert [s["name"] for s in stops] == ["乙*", "丙*", "甲*"]


def test_the_route_page_shows_the_workers_grid_and_refuses_another(client, tree, people):
    grid = tree["grid_a11"]
    _person(grid, "王德顺", "117.000", "39.000", datetime.date.today() - datetime.timedelta(days=2))
    client.force_login(people["worker"])
    page = client.get(reverse("maps_mobile:route"))
    assert page.status_code == 200
    assert "王德顺" in page.content.decode() and page.context["grid"] == grid
    assert client.get(reverse("maps_mobile:route"), {"grid": tree["grid_b11"].pk}).status_code == 404
    assert reverse("maps_mobile:route") in client.get(reverse("my_grid")).content.decode()
