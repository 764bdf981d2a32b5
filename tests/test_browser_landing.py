"""Where each role lands after logging in, in a real headless Chromium: grid workers on the phone
pages, station staff on the admin's workbench (whose first number leads to exactly that many
rows), the bureau leader on the dashboard, with the staff bar to the workbench."""

import os

import pytest

from grids.models import Role
from grids.tests.factories import PASSWORD, CommunityFactory, GridFactory, StreetFactory, make_staff
from tests.workbench_world import build_cases, build_overdue


@pytest.fixture
def heping(db):
    street = StreetFactory(name="劝业场街道")
    other = StreetFactory(district=street.district, name="小白楼街道")
    tree = {"district": street.district, "street_a": street, "street_b": other}
    for key, parent in (("a", street), ("b", other)):
        for c in (1, 2):
            community = CommunityFactory(street=parent, name=f"{key}{c}社区")
            for g in (1, 2):
                tree[f"grid_{key}{c}{g}"] = GridFactory(community=community, name=f"{key}{c}-{g}网格")
    cast = {
        "station": make_staff(street, role=Role.STATION_STAFF, username="street_staff"),
        "colleague": make_staff(street, role=Role.STATION_STAFF, username="colleague"),
        "worker": make_staff(grids=[tree["grid_a11"], tree["grid_a12"], tree["grid_a21"]], username="grid_worker"),
        "leader": make_staff(street.district, role=Role.BUREAU_LEADER, username="leader"),
        "station_b": make_staff(other, role=Role.STATION_STAFF, username="other_station"),
    }
    build_cases(tree, cast)
    build_overdue(tree)
    return cast


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _screenshot(page, output_path, name):
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, name), full_page=True)


@pytest.mark.browser
def test_station_staff_land_on_the_workbench_and_its_first_number_leads_to_its_rows(
    chromium_page, live_server, output_path, heping
):
    page = chromium_page
    page.set_viewport_size({"width": 1366, "height": 900})
    _log_in(page, live_server, "street_staff")
    assert page.url == f"{live_server.url}/admin/"
    page.wait_for_selector("#todos")
    assert "我的待办" in page.inner_text("#todos")
    assert page.inner_text("#staff-bar").split() == ["数据看板", "工作台", "救助审批", "诉求", "心愿", "退出"]
    _screenshot(page, output_path, "workbench.png")

    first = page.locator("#todos a.todo-count").first
    count = int(first.get_attribute("data-count"))
    assert count == 1  # 待我审核: one case submitted by the worker (built by tests.test_workbench)
    first.click()
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == count
    assert "待我审核" in page.inner_text("#changelist-filter")
    assert page.locator("#staff-bar").count() == 1  # the bar on every admin page

    page.goto(f"{live_server.url}/admin/")
    overdue = page.locator("#todo-overdue_visits a.todo-count").first
    count = int(overdue.get_attribute("data-count"))
    assert count == 6  # overdue in street a: three in a1-1, two in a2-1, one in a1-2
    overdue.click()
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == count


@pytest.mark.browser
def test_the_bureau_leader_lands_on_the_dashboard_and_reaches_the_workbench(chromium_page, live_server, heping):
    page = chromium_page
    _log_in(page, live_server, "leader")
    assert page.url == f"{live_server.url}/dashboard/"
    page.wait_for_selector("#kpis")
    page.click("#staff-bar >> text=工作台")
    page.wait_for_selector("#todos")
    assert page.url == f"{live_server.url}/admin/"
    assert "待我批准" in page.inner_text("#todos")
    page.click("#staff-bar >> text=救助审批")
    page.wait_for_selector("#case-queue")
    page.click("#staff-bar >> text=数据看板")
    page.wait_for_selector("#kpis")


@pytest.mark.browser
def test_grid_workers_land_on_their_phone_pages(chromium_page, live_server, heping):
    page = chromium_page
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, "grid_worker")
    assert page.url == f"{live_server.url}/m/"
    assert page.locator("#staff-bar").count() == 0
