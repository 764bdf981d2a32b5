"""The dashboard map in real headless Chromium: the district's streets drawn from their uploaded
boundaries, coloured by the chosen figure, a click on a street opens that street's page; at
grid level the homes are points."""

import datetime
import os

import pytest
from django.utils import timezone

from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import PASSWORD, make_staff
from maps.homes import home_set
from maps.tests.conftest import tree_bounds, upload_level
from maps.tiling import point_inside
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **DESKTOP}


def _colour(page, bounds) -> list[int]:
    """The colour drawn a quarter of the way into the area (off its centred label)."""
    west, south, east, north = bounds
    point = [west + (east - west) / 4, south + (north - south) / 4]
    pixel = page.evaluate(
        """(point) => {
            const [x, y] = window.dashboardMap.convertToPixel({geoIndex: 0}, point);
            const canvas = document.querySelector('#chart-map canvas');
            const ratio = canvas.width / canvas.clientWidth;
            const data = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
            return [data[0], data[1], data[2], data[3]].join(",");
        }""",
        point,
    )
    return [int(v) for v in pixel.split(",")]


def _sign_in(page, live_server, user, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _click_on(page, lon: float, lat: float) -> None:
    x, y = page.evaluate("(p) => window.dashboardMap.convertToPixel({geoIndex: 0}, p)", [lon, lat])
    box = page.locator("#chart-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


@pytest.mark.browser
def test_the_map_is_coloured_by_the_chosen_figure_and_drills_down(chromium_page, live_server, output_path, tree):
    bounds = tree_bounds(tree)
    for level in ("district", "street", "community", "grid"):
        assert upload_level(tree, level, bounds).ok
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    late = timezone.localdate() - datetime.timedelta(days=5)
    for n in range(3):
        person = make_veteran(tree["grid_a11"], name=f"逾期{n}号")
        Veteran.objects.filter(pk=person.pk).update(visit_due_on=late)
        longitude, latitude = point_inside(bounds["grid_a11"], 0.2 + n * 0.3, 0.5)
        home_set(veteran=person, longitude=longitude, latitude=latitude, acting_user=SYSTEM)
    make_veteran(tree["grid_b11"], name="按期老兵")
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page

    _sign_in(page, live_server, leader, "/dashboard/")
    page.wait_for_selector("#chart-map[data-ready='1'] canvas")
    page.locator("#map-card").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(output_path, "map-1-district.png"), full_page=True)

    page.select_option("#map-figure", "overdue")
    street_a, street_b = bounds["street_a"], bounds["street_b"]
    heavy, light = _colour(page, street_a), _colour(page, street_b)
    assert sum(heavy[:3]) < sum(light[:3]) - 200  # three overdue: dark; none: pale
    page.select_option("#map-figure", "wishes_fulfilled")
    assert _colour(page, street_a) == _colour(page, street_b)  # none fulfilled on either side
    page.select_option("#map-figure", "overdue")
    assert _colour(page, street_a) == heavy

    west, south, east, north = bounds["street_a"]
    _click_on(page, (west + east) / 2, (south + north) / 2)
    page.wait_for_url(f"**/dashboard/?level=street&id={tree['street_a'].pk}")
    page.wait_for_selector("#chart-map[data-ready='1'] canvas")
    assert "甲街道" in page.inner_text(".trail")

    page.goto(f"{live_server.url}/dashboard/?level=grid&id={tree['grid_a11'].pk}")
    page.wait_for_selector("#chart-map[data-ready='1'] canvas")
    points = page.evaluate("() => window.dashboardMap.getOption().series[1].data.length")
    assert points == 3
    page.locator("#map-card").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(output_path, "map-2-grid.png"), full_page=True)


@pytest.mark.browser
def test_the_grid_worker_sees_todays_route_on_the_phone(chromium_page, live_server, output_path, tree):
    bounds = tree_bounds(tree)
    assert upload_level(tree, "grid", bounds).ok
    worker = make_staff(grids=[tree["grid_a11"]])
    late = timezone.localdate() - datetime.timedelta(days=2)
    for n in range(4):
        person = make_veteran(tree["grid_a11"], name=f"应访{n}号")
        Veteran.objects.filter(pk=person.pk).update(visit_due_on=late)
        longitude, latitude = point_inside(bounds["grid_a11"], (n * 0.37) % 1, (n * 0.61) % 1)
        home_set(veteran=person, longitude=longitude, latitude=latitude, acting_user=SYSTEM)
    os.makedirs(output_path, exist_ok=True)
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, worker, "/m/map/route/")
    page.wait_for_selector("#route-map[data-ready='1'] canvas")
    assert page.locator("#route-stops li").count() == 4
    assert page.evaluate("() => window.routeMap.getOption().series[1].data.length") == 4
    page.screenshot(path=os.path.join(output_path, "map-3-phone-route.png"), full_page=True)


@pytest.mark.browser
def test_an_intranet_tile_server_is_drawn_under_the_boundaries(chromium_page, live_server, output_path, tree, settings):
    settings.MAP_TILE_URL = f"{live_server.url}/static/icons/app-192.png?z={{z}}&x={{x}}&y={{y}}"
    bounds = tree_bounds(tree)
    for level in ("district", "street"):
        assert upload_level(tree, level, bounds).ok
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    page = chromium_page
    _sign_in(page, live_server, leader, "/dashboard/")
    page.wait_for_selector("#chart-map[data-ready='1'] canvas")
    images = page.evaluate("() => JSON.stringify(window.dashboardMap.getOption().graphic)")
    assert images.count("/static/icons/app-192.png?z=") > 0, images[:500]
    # The tiles lie where the map is: the first one's corner is within a tile's width of the view.
    corner = page.evaluate("() => window.dashboardMap.getOption().graphic[0].elements[1].style")
    assert -300 < corner["x"] < 1400 and -300 < corner["y"] < 600, corner
    page.locator("#map-card").scroll_into_view_if_needed()
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, "map-4-tiles.png"), full_page=True)


@pytest.mark.browser
def test_the_station_picks_a_home_on_the_map(chromium_page, live_server, output_path, tree):
    from maps.models import HomePosition

    bounds = tree_bounds(tree)
    for level in ("district", "street", "community", "grid"):
        assert upload_level(tree, level, bounds).ok
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    veteran = make_veteran(tree["grid_a11"], name="选点老兵")
    page = chromium_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/maps/homeposition/add/")
    page.fill("#id_username", station.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#home-picker[data-ready='1'] canvas")
    page.fill("#id_veteran", str(veteran.pk))
    west, south, east, north = bounds["grid_a11"]
    x, y = page.evaluate(
        "(p) => window.homePicker.convertToPixel({geoIndex: 0}, p)", [(west + east) / 2, (south + north) / 2]
    )
    box = page.locator("#home-picker").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.input_value("#id_longitude") != ""
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, "map-5-picker.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    home = HomePosition.objects.get(veteran=veteran)
    assert home.outside_grid is False and home.source == "picked"
    assert abs(float(home.longitude) - (west + east) / 2) < (east - west) / 4
